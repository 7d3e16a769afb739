"""Media on S3-compatible storage: production.py's STORAGES block against a real S3 endpoint (moto_server).

The storage settings are read from production.py itself (in a subprocess, with the variables an operator sets),
then applied here, so Wagtail's image and document models go through exactly what production configures."""

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import override_settings

pytest.importorskip("moto.server", reason="moto[server] is in requirements-dev.txt")
boto3 = pytest.importorskip("boto3")

pytestmark = [pytest.mark.django_db, pytest.mark.deploy]

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "mieplan-media-test"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}  # moto accepts any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which("moto_server")
    command = [server] if server else [sys.executable, "-m", "moto.server"]
    process = subprocess.Popen(
        [*command, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("moto_server did not start")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def production_settings(extra_env: dict[str, str]) -> dict:
    """STORAGES and WAGTAILDOCS_SERVE_METHOD as production.py computes them from this environment."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "DJANGO_SETTINGS_MODULE": "mieplan_site.settings.production",
        "SECRET_KEY": "s3-storage-test",
        "DATABASE_URL": "sqlite:///:memory:",
        **extra_env,
    }
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'STORAGES': settings.STORAGES, "
        "'WAGTAILDOCS_SERVE_METHOD': getattr(settings, 'WAGTAILDOCS_SERVE_METHOD', None)}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def s3_media(s3_endpoint, monkeypatch):
    """Production's media storage, pointed at moto, with an empty bucket; yields a boto3 client on it."""
    configured = production_settings(
        {
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": s3_endpoint,
            "AWS_S3_REGION_NAME": "ap-northeast-1",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_S3_CUSTOM_DOMAIN": "plan.example.jp/media",
            **CREDENTIALS,
        }
    )
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="ap-northeast-1",
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
    with override_settings(**configured):
        yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def png_bytes(width: int = 320, height: int = 200) -> bytes:
    from PIL import Image as PillowImage

    buffer = io.BytesIO()
    PillowImage.new("RGB", (width, height), (0, 102, 153)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_without_a_bucket_media_stay_on_the_local_disk():
    configured = production_settings({})
    assert configured["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert configured["WAGTAILDOCS_SERVE_METHOD"] is None


def test_production_puts_media_in_the_bucket_and_keeps_static_files_on_whitenoise(s3_endpoint):
    configured = production_settings({"AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": s3_endpoint})
    assert configured["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert configured["STORAGES"]["default"]["OPTIONS"]["default_acl"] is None
    assert configured["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert configured["WAGTAILDOCS_SERVE_METHOD"] == "serve_view"


def test_uploaded_image_and_its_rendition_are_stored_in_the_bucket(s3_media):
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    original = png_bytes()
    image = get_image_model().objects.create(title="地図", file=ImageFile(io.BytesIO(original), name="map.png"))
    stored = s3_media.get_object(Bucket=BUCKET, Key=image.file.name)
    assert stored["Body"].read() == original
    assert stored["CacheControl"] == "public, max-age=86400"

    rendition = image.get_rendition("width-160")
    assert rendition.file.name.startswith("images/")
    assert rendition.url == f"https://plan.example.jp/media/{rendition.file.name}"  # through the load balancer
    with s3_media.get_object(Bucket=BUCKET, Key=rendition.file.name)["Body"] as body:
        from PIL import Image as PillowImage

        assert PillowImage.open(io.BytesIO(body.read())).size == (160, 100)


def test_second_upload_with_the_same_name_does_not_replace_the_first(s3_media):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    first = default_storage.save("documents/report.txt", ContentFile(b"first"))
    second = default_storage.save("documents/report.txt", ContentFile(b"second"))
    assert first != second
    with default_storage.open(first) as handle:
        assert handle.read() == b"first"


def test_document_is_streamed_by_wagtails_view_not_redirected_to_the_bucket(client, s3_media):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    content = "三重県デジタル戦略 資料\n".encode()
    document = get_document_model().objects.create(title="資料", file=ContentFile(content, name="shiryo.txt"))
    assert s3_media.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read() == content

    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Security-Policy"] == "default-src 'none'"
