namespace SonoSynth.Cli.Curation;

/// <summary>
/// The curation page: one self-contained HTML document (no CDN, no external files), so it works offline.
/// Keys g / b / s / u (or the buttons) label good / bad / skip and undo; actions run one after another in the
/// order pressed, each on the image shown when it runs. body[data-pending] counts actions not yet answered.
/// </summary>
internal static class CurationPage
{
    public const string Html = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SonoSynth curation</title>
<style>
  :root { --bg:#15181c; --panel:#1f242a; --text:#e6e9ed; --muted:#8b949e; --good:#2ea043; --bad:#da3633; --skip:#6e7681; --accent:#58a6ff; }
  * { box-sizing: border-box; }
  html, body { margin:0; height:100%; background:var(--bg); color:var(--text); font:15px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { display:flex; flex-direction:column; }
  header { display:flex; align-items:center; gap:24px; padding:10px 20px; background:var(--panel); border-bottom:1px solid #30363d; }
  header h1 { font-size:16px; margin:0; font-weight:600; white-space:nowrap; }
  .progress { flex:1; display:flex; align-items:center; gap:14px; min-width:0; }
  .bar { flex:1; height:8px; background:#30363d; border-radius:4px; overflow:hidden; display:flex; }
  .bar span { display:block; height:100%; }
  .bar .good { background:var(--good); } .bar .bad { background:var(--bad); } .bar .skip { background:var(--skip); }
  .counts { white-space:nowrap; color:var(--muted); font-variant-numeric:tabular-nums; }
  .counts b { color:var(--text); font-weight:600; }
  .who { color:var(--muted); white-space:nowrap; }
  main { flex:1; display:flex; flex-direction:column; align-items:center; justify-content:center; gap:12px; padding:12px; min-height:0; }
  .class { font-size:24px; font-weight:600; letter-spacing:.2px; }
  .frame { position:relative; background:#000; border:1px solid #30363d; border-radius:6px; padding:6px; }
  #image { display:block; width:min(62vh, 86vw); height:min(62vh, 86vw); object-fit:contain; image-rendering:pixelated; }
  .verdict-tag { position:absolute; top:12px; right:12px; padding:2px 10px; border-radius:10px; font-size:13px; font-weight:600; display:none; }
  .meta { color:var(--muted); font-size:13px; font-family:ui-monospace, SFMono-Regular, Menlo, monospace; text-align:center; }
  .buttons { display:flex; gap:10px; }
  button { font:inherit; font-weight:600; color:#fff; border:0; border-radius:6px; padding:9px 18px; cursor:pointer; min-width:110px; }
  button:disabled { opacity:.4; cursor:default; }
  button kbd { display:inline-block; margin-left:8px; padding:0 6px; border-radius:4px; background:rgba(0,0,0,.25); font:12px ui-monospace, monospace; }
  #good { background:var(--good); } #bad { background:var(--bad); } #skip { background:var(--skip); } #undo, #undo-done { background:#30363d; }
  #status { min-height:20px; color:var(--muted); font-size:13px; }
  #status.error { color:#ff7b72; }
  .done { text-align:center; }
  .done h2 { margin:0 0 6px; }
  [hidden] { display:none !important; }
</style>
</head>
<body data-pending="0" data-ready="false">
<header>
  <h1>SonoSynth · curation</h1>
  <div class="progress">
    <div class="bar" title="good / bad / skipped"><span class="good" id="bar-good"></span><span class="bad" id="bar-bad"></span><span class="skip" id="bar-skip"></span></div>
    <div class="counts" id="progress-text"><b id="count-labelled">0</b> of <b id="count-total">0</b> labelled ·
      good <b id="count-good">0</b> · bad <b id="count-bad">0</b> · skipped <b id="count-skip">0</b></div>
  </div>
  <div class="who">annotator <b id="annotator"></b></div>
</header>
<main>
  <section id="viewer" hidden>
    <div style="display:flex; flex-direction:column; align-items:center; gap:12px">
      <div class="class" id="class-name"></div>
      <div class="frame"><img id="image" alt="synthetic image"><span class="verdict-tag" id="verdict-tag"></span></div>
      <div class="meta" id="image-meta"></div>
      <div class="buttons">
        <button id="good" data-verdict="good">Good<kbd>G</kbd></button>
        <button id="bad" data-verdict="bad">Bad<kbd>B</kbd></button>
        <button id="skip" data-verdict="skip">Skip<kbd>S</kbd></button>
        <button id="undo">Undo<kbd>U</kbd></button>
      </div>
    </div>
  </section>
  <section id="finished" class="done" hidden>
    <h2>Every image is labelled</h2>
    <div class="meta">Press <b>U</b> to undo the last label, or stop the server with Ctrl+C.</div>
    <div class="buttons" style="justify-content:center; margin-top:12px"><button id="undo-done">Undo<kbd>U</kbd></button></div>
  </section>
  <div id="status" role="status"></div>
</main>
<script>
"use strict";
let current = null;            // the image on screen
let queue = Promise.resolve(); // actions run in the order they were pressed
let pending = 0;
const $ = id => document.getElementById(id);

function setPending(delta) {
  pending += delta;
  document.body.dataset.pending = String(pending);
}

function showProgress(p) {
  $("count-labelled").textContent = p.labelled;
  $("count-total").textContent = p.total;
  $("count-good").textContent = p.good;
  $("count-bad").textContent = p.bad;
  $("count-skip").textContent = p.skipped;
  $("annotator").textContent = p.annotator;
  const pct = n => (p.total ? 100 * n / p.total : 0) + "%";
  $("bar-good").style.width = pct(p.good);
  $("bar-bad").style.width = pct(p.bad);
  $("bar-skip").style.width = pct(p.skipped);
}

function showImage(image) {
  current = image;
  $("viewer").hidden = !image;
  $("finished").hidden = !!image;
  if (!image) return;
  $("class-name").textContent = image.className || "(no class)";
  $("image").src = image.url;
  $("image").alt = image.id;
  const details = [image.id, image.position + " / " + image.total];
  if (image.round) details.push("round " + image.round);
  if (image.sampler) details.push(image.sampler + (image.steps ? " " + image.steps + " steps" : ""));
  if (image.guidance) details.push("guidance " + image.guidance);
  if (image.seed) details.push("seed " + image.seed);
  $("image-meta").textContent = details.join("  ·  ");
  const tag = $("verdict-tag");
  tag.style.display = image.verdict ? "block" : "none";
  tag.textContent = image.verdict ? "was " + image.verdict : "";
  tag.style.background = image.verdict === "good" ? "var(--good)" : image.verdict === "bad" ? "var(--bad)" : "var(--skip)";
}

function say(text, isError) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

async function call(method, url, body) {
  const response = await fetch(url, method === "GET" ? {} :
    { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {}) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || (response.status + " " + response.statusText));
  return data;
}

function enqueue(action) {
  setPending(+1);
  queue = queue.then(action).catch(e => say("Not saved: " + e.message, true)).finally(() => setPending(-1));
}

function label(verdict) {
  enqueue(async () => {
    if (!current) return;
    const data = await call("POST", "/api/label", { id: current.id, verdict });
    say("Saved " + data.id + " as " + data.verdict + ".");
    showProgress(data.progress);
    showImage(data.image);
  });
}

function undo() {
  enqueue(async () => {
    const data = await call("POST", "/api/undo", {});
    say(data.undoneId ? "Undid " + data.undoneVerdict + " on " + data.undoneId + "." : "Nothing to undo.");
    showProgress(data.progress);
    showImage(data.image);
  });
}

document.addEventListener("keydown", event => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  const key = event.key.toLowerCase();
  if (key === "g") label("good");
  else if (key === "b") label("bad");
  else if (key === "s") label("skip");
  else if (key === "u") undo();
  else return;
  event.preventDefault();
});
// Whole-number zoom, so every image pixel becomes an equal square block (no uneven pixel widths).
function fitImage() {
  const img = $("image");
  if (!img.naturalWidth) return;
  const room = Math.min(window.innerHeight * 0.62, window.innerWidth * 0.86);
  const zoom = Math.max(1, Math.floor(room / Math.max(img.naturalWidth, img.naturalHeight)));
  img.style.width = img.naturalWidth * zoom + "px";
  img.style.height = img.naturalHeight * zoom + "px";
}
$("image").addEventListener("load", fitImage);
window.addEventListener("resize", fitImage);
for (const id of ["good", "bad", "skip"]) $(id).addEventListener("click", e => { label(id); e.currentTarget.blur(); });
for (const id of ["undo", "undo-done"]) $(id).addEventListener("click", e => { undo(); e.currentTarget.blur(); });

enqueue(async () => {
  const data = await call("GET", "/api/next");
  showProgress(data.progress);
  showImage(data.image);
  document.body.dataset.ready = "true";
});
</script>
</body>
</html>
""";
}
