"""Wagtail hooks through which the apps above `home` put what they own on home's pages: home never imports them.

Register with `@wagtail.hooks.register(NAME)` in the app's wagtail_hooks.py.
"""

# fn(home_page, request) -> dict for the home page's template, each value a page, some pages or None: they are
# tagged as shown on the home page (its cache is purged when they change).
HOME_PAGE_CONTEXT = "mieplan_home_page_context"
# fn(home_page) -> the page whose contact fields the footer shows, or None.
SITE_CONTACT = "mieplan_site_contact"
