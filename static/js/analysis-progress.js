// Topics board: poll the analysis run's status and move the progress bar until it is done or failed.
(function () {
  const box = document.querySelector("[data-analysis-status]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const step = box.querySelector("[data-analysis-step]");
  async function poll() {
    const response = await fetch(box.dataset.analysisStatus, { credentials: "same-origin" });
    if (!response.ok) return;
    const run = await response.json();
    bar.value = run.progress;
    bar.textContent = run.progress + "%";
    step.textContent = run.status === "done" ? box.dataset.doneLabel : run.step + " " + run.progress + "%";
    if (run.status === "failed") step.textContent = run.error;
    if (run.status !== "done" && run.status !== "failed") setTimeout(poll, 1000);
  }
  poll();
})();
