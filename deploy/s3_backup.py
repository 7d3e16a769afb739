"""Object-storage steps of deploy/backup.sh, with boto3 (already installed for the media storage).

    s3_backup.py upload FILE s3://bucket/prefix     copy one dump off the machine
    s3_backup.py mirror s3://source s3://target[/prefix]   bring a copy of the media bucket up to date

Both use the app's S3 settings from the environment (AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME and the
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY pair or an instance role). The mirror copies new and changed
objects and never deletes: an object removed by mistake in the source is still in the copy."""

import os
import sys
from pathlib import Path
from urllib.parse import urlparse

import boto3


def client():
    return boto3.client(
        "s3",
        endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("AWS_S3_REGION_NAME") or None,
    )


def split(uri: str) -> tuple[str, str]:
    parsed = urlparse(uri)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise SystemExit(f"not an s3://bucket/prefix address: {uri}")
    prefix = parsed.path.strip("/")
    return parsed.netloc, f"{prefix}/" if prefix else ""


def upload(path: str, target: str) -> None:
    bucket, prefix = split(target)
    key = prefix + Path(path).name
    client().upload_file(path, bucket, key)
    print(f"backup: uploaded {path} to s3://{bucket}/{key}")


def objects(s3, bucket: str, prefix: str = "") -> dict[str, dict]:
    found = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            found[item["Key"][len(prefix) :]] = item
    return found


def up_to_date(source: dict, copy: dict | None) -> bool:
    # A multipart copy gets a different ETag for the same bytes: then size and age decide.
    if copy is None:
        return False
    return copy["ETag"] == source["ETag"] or (
        copy["Size"] == source["Size"] and copy["LastModified"] >= source["LastModified"]
    )


def mirror(source: str, target: str) -> None:
    s3 = client()
    source_bucket, source_prefix = split(source)
    target_bucket, target_prefix = split(target)
    existing = objects(s3, target_bucket, target_prefix)
    copied = 0
    for name, item in objects(s3, source_bucket, source_prefix).items():
        if up_to_date(item, existing.get(name)):
            continue
        s3.copy({"Bucket": source_bucket, "Key": source_prefix + name}, target_bucket, target_prefix + name)
        copied += 1
    print(f"backup: media mirror copied {copied} object(s) to {target}")


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[0] == "upload":
        upload(argv[1], argv[2])
    elif len(argv) == 3 and argv[0] == "mirror":
        mirror(argv[1], argv[2])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
