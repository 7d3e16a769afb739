"""Uploads in the admin are limited by type and size: nothing that can carry script, nothing huge."""

import struct
import zlib

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_plan")]

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def png(width: int = 4, height: int = 4, padding: int = 0) -> bytes:
    """A valid PNG; `padding` bytes in an ancillary chunk make it as large as needed without more pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x10\x60\xa0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    extra = chunk(b"teXt", b"pad\x00" + b"x" * padding) if padding else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + extra
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def editor_client(client, editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # nothing lands in the working tree, even if a check fails
    client.force_login(editor)
    return client


def upload(client, kind: str, name: str, content: bytes, content_type: str):
    """Post a file to the admin's image or document upload form (`kind`: "images" or "documents")."""
    return client.post(
        f"/admin/{kind}/add/",
        {
            "title": name,
            "file": SimpleUploadedFile(name, content, content_type),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def upload_image(client, name: str, content: bytes, content_type: str):
    return upload(client, "images", name, content, content_type)


def upload_document(client, name: str, content: bytes, content_type: str):
    return upload(client, "documents", name, content, content_type)


def form_errors(response) -> str:
    assert response.status_code == 200, response.status_code  # the form again, not a redirect to the listing
    return " ".join(str(error) for error in response.context["form"].errors.get("file", []))


def test_a_normal_image_and_document_are_accepted(editor_client):
    # The control for the refusals below: the same requests with acceptable files are stored.
    assert upload_image(editor_client, "map.png", png(), "image/png").status_code == 302
    assert upload_document(editor_client, "plan.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf").status_code == 302
    assert Image.objects.filter(title="map.png").exists()
    assert Document.objects.filter(title="plan.pdf").exists()


def test_svg_image_is_refused(editor_client):
    assert "svg" not in django_settings.WAGTAILIMAGES_EXTENSIONS
    response = upload_image(editor_client, "logo.svg", SVG, "image/svg+xml")
    assert form_errors(response)
    assert not Image.objects.filter(title="logo.svg").exists()


def test_html_renamed_as_an_image_is_refused(editor_client):
    response = upload_image(editor_client, "photo.png", HTML, "image/png")
    assert form_errors(response)
    assert not Image.objects.filter(title="photo.png").exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("notice.html", HTML, "text/html"), ("logo.svg", SVG, "image/svg+xml"), ("page.htm", HTML, "text/html")],
)
def test_html_and_svg_documents_are_refused(editor_client, name, content, content_type):
    response = upload_document(editor_client, name, content, content_type)
    assert f"“{name.rsplit('.', 1)[1]}”" in form_errors(response)  # the extension is named in the message
    assert not Document.objects.filter(title=name).exists()


def test_oversize_image_is_refused(editor_client):
    limit = django_settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    response = upload_image(editor_client, "huge.png", png(padding=limit), "image/png")
    assert filesizeformat(limit) in form_errors(response)
    assert not Image.objects.filter(title="huge.png").exists()


def test_oversize_document_is_refused(editor_client):
    limit = django_settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
    response = upload_document(editor_client, "huge.pdf", b"%PDF-1.4\n" + b"0" * limit, "application/pdf")
    assert filesizeformat(limit) in form_errors(response)
    assert not Document.objects.filter(title="huge.pdf").exists()


def test_pr_editor_can_upload_a_figure_out_of_the_box(editor_client, tmp_path):
    """The editorial roles migration grants image rights on the root collection (Wagtail checks them there)."""
    assert editor_client.get("/admin/images/add/").status_code == 200
    response = upload_image(editor_client, "figure.png", png(), "image/png")
    assert response.status_code == 302  # to the image listing: stored
    assert Image.objects.filter(title="figure.png").exists()
