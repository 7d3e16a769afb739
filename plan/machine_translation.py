"""An offline machine translator for wagtail-localize: the shipped translations as a translation memory.

Production sets DEEPL_API_KEY and uses wagtail-localize's DeepL backend; tests and the demo use this one, which
needs no network: it knows every string shipped in plan/data/<lang>/ (both directions) and returns any other
string unchanged, so a translator sees at once what still needs a human.
"""

import functools

from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.strings import StringValue

from plan.translations import shipped_strings


@functools.cache
def memory(source_language: str, target_language: str) -> dict[str, str]:
    if source_language == "ja":
        return shipped_strings(target_language)
    if target_language == "ja":
        return {target: source for source, target in shipped_strings(source_language).items()}
    return {}


class ShippedTranslationMemory(BaseMachineTranslator):
    display_name = "Shipped translation memory (offline)"

    def translate(self, source_locale, target_locale, strings):
        known = memory(source_locale.language_code, target_locale.language_code)
        return {string: StringValue(known.get(string.data, string.data)) for string in strings}

    def can_translate(self, source_locale, target_locale):
        return source_locale.language_code != target_locale.language_code

    def translate_text(self, text: str, source_language: str, target_language: str) -> str:
        return memory(source_language, target_language).get(text, text)
