"""The per-comment steps of a run as Celery chunks (eager here, as on the embedded default): whatever the chunk
size, the output is the same byte for byte; the progress bar advances chunk by chunk; a failing chunk fails the
run with its reason."""

import pytest

from consultations import topic_services
from consultations.models import AnalysisChunk, AnalysisRun
from mieplan_site.celery import app as celery_app


@pytest.fixture(autouse=True)
def eager_tasks():
    """The chunks run in the test as on the embedded default, also in the pass that has a Redis broker."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


def chunked_run(consultation, settings, size: int, capture) -> AnalysisRun:
    settings.ANALYSIS_CHUNK_SIZE = size
    with capture(execute=True):
        run = topic_services.start_run(consultation)
    run.refresh_from_db()
    return run


def test_output_is_byte_identical_whatever_the_chunk_size(
    consultation, analysis_comments, settings, django_capture_on_commit_callbacks
):
    whole = chunked_run(consultation, settings, 10**9, django_capture_on_commit_callbacks)
    small = chunked_run(consultation, settings, 2, django_capture_on_commit_callbacks)
    assert (whole.status, small.status) == ("done", "done")
    assert whole.chunks == 1 and small.chunks == (len(analysis_comments) - 1 + 1) // 2  # spam is left out
    assert small.result == whole.result and '"topics"' in whole.result
    # The command, in one process and in other chunks, gives the same bytes.
    assert topic_services.run_analysis(consultation, chunk_size=3).dumps() == whole.result
    assert not AnalysisChunk.objects.exists()  # the chunks are dropped once combined


def test_progress_advances_with_each_chunk(
    consultation, analysis_comments, settings, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []
    original = topic_services.chunk_rows

    def watched(ids):
        seen.append(AnalysisRun.objects.get().progress)
        return original(ids)

    monkeypatch.setattr(topic_services, "chunk_rows", watched)
    run = chunked_run(consultation, settings, 3, django_capture_on_commit_callbacks)
    assert len(seen) == run.chunks >= 3
    assert seen == sorted(seen) and len(set(seen)) == len(seen)  # strictly rising, chunk after chunk
    assert seen[0] == 0 and seen[-1] < topic_services.PREPARE_SHARE
    assert (run.progress, run.chunks_done) == (100, run.chunks)


def test_a_failing_chunk_fails_the_run_with_its_reason(
    consultation, analysis_comments, settings, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(ids):
        raise RuntimeError("worker lost its database connection")

    monkeypatch.setattr(topic_services, "chunk_rows", broken)
    run = chunked_run(consultation, settings, 4, django_capture_on_commit_callbacks)
    assert run.status == "failed" and "database connection" in run.error
    assert run.result == ""


@pytest.mark.parametrize("size", [1, 5])
def test_a_chunk_counted_twice_is_not_counted_twice(consultation, analysis_comments, size):
    # A worker may run a chunk again (acks_late after a crash): the run counts chunks, not deliveries.
    run = AnalysisRun.objects.create(consultation=consultation)
    chunks = topic_services.plan_chunks(run, size)
    assert not topic_services.prepare_chunk(run.pk, 0, chunks[0]) or len(chunks) == 1
    topic_services.prepare_chunk(run.pk, 0, chunks[0])
    run.refresh_from_db()
    assert run.chunks_done == 1 and run.chunks == len(chunks)
