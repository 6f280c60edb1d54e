// The log classification page: upload a CSV, show the classified rows, filter, chart, download; and the
// Patterns view: what the pattern store counted in a window, with a sparkline per pattern and "new since" marks,
// and a control per pattern to correct its label (PUT/DELETE /patterns/{id}/label with the page's API key).
// Plain browser JavaScript, no dependencies; data is put into the page with textContent only.
"use strict";

(function () {
  const CATEGORIES = [
    "HTTP Status", "Resource Usage", "Critical Error", "Error", "Security Alert",
    "System Notification", "User Action", "Workflow Error", "Deprecation Warning", "Unclassified",
  ];
  const STAGES = ["feedback", "regex", "similar", "bert", "llm", "none"];
  const CORRECTABLE = CATEGORIES.filter((name) => name !== "Unclassified");  // a person picks one of the nine
  const COLORS = {
    "HTTP Status": "#2f6fde", "Resource Usage": "#19a187", "Critical Error": "#b3261e", "Error": "#e2702b",
    "Security Alert": "#8e3fc9", "System Notification": "#4f9b3a", "User Action": "#d4a106",
    "Workflow Error": "#c2418e", "Deprecation Warning": "#6d7789", "Unclassified": "#aab2bf",
    feedback: "#b3261e", regex: "#2f6fde", similar: "#e2702b", bert: "#19a187", llm: "#8e3fc9", none: "#aab2bf",
  };
  const MAX_TABLE_ROWS = 1000;
  const SVG_NS = "http://www.w3.org/2000/svg";

  const $ = (id) => document.getElementById(id);
  const state = { header: [], rows: [], csvText: "", fileName: "logs_classified.csv", columns: {} };

  // RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks.
  function parseCsv(text) {
    const rows = [];
    let row = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') { field += '"'; i++; } else { quoted = false; }
        } else {
          field += ch;
        }
      } else if (ch === '"') {
        quoted = true;
      } else if (ch === ",") {
        row.push(field); field = "";
      } else if (ch === "\n" || ch === "\r") {
        if (ch === "\r" && text[i + 1] === "\n") i++;
        row.push(field); field = "";
        rows.push(row); row = [];
      } else {
        field += ch;
      }
    }
    if (field !== "" || row.length) { row.push(field); rows.push(row); }
    return rows;
  }

  function countBy(rows, index) {
    const counts = new Map();
    for (const row of rows) counts.set(row[index], (counts.get(row[index]) || 0) + 1);
    return counts;
  }

  function setStatus(text, progress) {
    $("status-text").textContent = text;
    const bar = $("upload-progress");
    if (progress === null || progress === undefined) {
      bar.hidden = true;
    } else {
      bar.hidden = false;
      if (progress < 0) bar.removeAttribute("value"); else bar.value = progress;
    }
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = !message;
  }

  function fileNameFrom(disposition) {
    const match = /filename="([^"]+)"/.exec(disposition || "");
    return match ? match[1] : "logs_classified.csv";
  }

  function upload(event) {
    event.preventDefault();
    const file = $("file-input").files[0];
    if (!file) { showError("Choose a CSV file first."); return; }
    showError("");
    const form = new FormData();
    form.append("file", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/classify/?explain=true");
    const key = $("api-key").value.trim();
    if (key) xhr.setRequestHeader("X-API-Key", key);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) {
        const percent = Math.round((e.loaded / e.total) * 100);
        setStatus(`Uploading ${file.name}: ${percent}%`, percent);
      }
    });
    xhr.upload.addEventListener("load", () => setStatus(`Classifying ${file.name}…`, -1));
    xhr.addEventListener("load", () => {
      $("upload-button").disabled = false;
      if (xhr.status === 200) {
        state.fileName = fileNameFrom(xhr.getResponseHeader("Content-Disposition"));
        showResults(xhr.responseText);
        setStatus(`Classified ${file.name}.`, null);
        setTimeout(loadPatterns, 1500);  // after the pattern store's next flush
      } else {
        let detail = xhr.statusText || "request failed";
        try { detail = JSON.parse(xhr.responseText).detail || detail; } catch (_) { /* not JSON */ }
        setStatus("", null);
        showError(`Error ${xhr.status}: ${detail}`);
      }
    });
    xhr.addEventListener("error", () => {
      $("upload-button").disabled = false;
      setStatus("", null);
      showError("The server could not be reached.");
    });
    $("upload-button").disabled = true;
    setStatus(`Uploading ${file.name}: 0%`, 0);
    xhr.send(form);
  }

  function showResults(text) {
    const parsed = parseCsv(text);
    state.csvText = text;
    state.header = parsed[0] || [];
    state.rows = parsed.slice(1);
    state.columns = {
      label: state.header.indexOf("target_label"),
      stage: state.header.indexOf("classified_by"),
    };
    $("results").hidden = false;
    $("row-count").textContent = `${state.rows.length} rows classified`;
    const categories = countBy(state.rows, state.columns.label);
    const stages = countBy(state.rows, state.columns.stage);
    fillSelect($("category-filter"), orderedKeys(categories, CATEGORIES), categories);
    fillSelect($("stage-filter"), orderedKeys(stages, STAGES), stages);
    drawBarChart($("category-chart"), CATEGORIES.map((c) => [c, categories.get(c) || 0]), "category-filter", 560, 150);
    drawBarChart($("stage-chart"), STAGES.map((s) => [s, stages.get(s) || 0]), "stage-filter", 280, 76);  // room for "feedback"
    renderHead();
    renderRows();
  }

  function orderedKeys(counts, order) {
    const known = order.filter((k) => counts.has(k));
    const other = [...counts.keys()].filter((k) => !order.includes(k)).sort();
    return known.concat(other);
  }

  function fillSelect(select, keys, counts) {
    select.replaceChildren(new Option("All", ""));
    for (const key of keys) select.append(new Option(`${key} (${counts.get(key)})`, key));
  }

  // Horizontal bars; `width`/`labelWidth` in SVG units, chosen per chart so its text renders at the same size.
  function drawBarChart(container, entries, filterId, width, labelWidth) {
    const barHeight = 22, gap = 6, countWidth = 44;
    const height = entries.length * (barHeight + gap);
    const max = Math.max(1, ...entries.map(([, n]) => n));
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("role", "img");
    entries.forEach(([name, count], i) => {
      const y = i * (barHeight + gap);
      const group = document.createElementNS(SVG_NS, "g");
      group.setAttribute("class", "bar");
      group.dataset.key = name;
      group.dataset.count = String(count);
      const label = document.createElementNS(SVG_NS, "text");
      label.setAttribute("x", labelWidth - 8);
      label.setAttribute("y", y + barHeight * 0.7);
      label.setAttribute("text-anchor", "end");
      label.textContent = name;
      const rect = document.createElementNS(SVG_NS, "rect");
      const barWidth = ((width - labelWidth - countWidth) * count) / max;
      rect.setAttribute("x", labelWidth);
      rect.setAttribute("y", y);
      rect.setAttribute("height", barHeight);
      rect.setAttribute("width", Math.max(count ? 2 : 0, barWidth));
      rect.setAttribute("rx", 3);
      rect.setAttribute("fill", COLORS[name] || "#6d7789");
      const title = document.createElementNS(SVG_NS, "title");
      title.textContent = `${name}: ${count}`;
      rect.append(title);
      const value = document.createElementNS(SVG_NS, "text");
      value.setAttribute("x", labelWidth + barWidth + 6);
      value.setAttribute("y", y + barHeight * 0.7);
      value.textContent = String(count);
      group.append(label, rect, value);
      if (count) {
        // Clicking a bar filters the table by it.
        group.style.cursor = "pointer";
        group.addEventListener("click", () => { $(filterId).value = name; renderRows(); });
      }
      svg.append(group);
    });
    container.replaceChildren(svg);
  }

  function renderHead() {
    const tr = document.createElement("tr");
    const number = document.createElement("th");
    number.textContent = "#";
    tr.append(number);
    for (const name of state.header) {
      const th = document.createElement("th");
      th.textContent = name;
      tr.append(th);
    }
    document.querySelector("#results-table thead").replaceChildren(tr);
  }

  function matchingRows() {
    const category = $("category-filter").value;
    const stage = $("stage-filter").value;
    const needle = $("text-filter").value.trim().toLowerCase();
    const out = [];
    state.rows.forEach((row, index) => {
      if (category && row[state.columns.label] !== category) return;
      if (stage && row[state.columns.stage] !== stage) return;
      if (needle && !row.some((cell) => cell.toLowerCase().includes(needle))) return;
      out.push([index, row]);
    });
    return out;
  }

  function renderRows() {
    const matches = matchingRows();
    const body = document.createDocumentFragment();
    for (const [index, row] of matches.slice(0, MAX_TABLE_ROWS)) {
      const tr = document.createElement("tr");
      const number = document.createElement("td");
      number.textContent = String(index + 1);
      number.className = "number";
      tr.append(number);
      row.forEach((cell, column) => {
        const td = document.createElement("td");
        td.textContent = cell;
        if (column === state.columns.label) td.className = "label";
        tr.append(td);
      });
      body.append(tr);
    }
    document.querySelector("#results-table tbody").replaceChildren(body);
    $("match-count").textContent = `${matches.length} of ${state.rows.length} rows match`;
    const note = $("truncated-note");
    note.hidden = matches.length <= MAX_TABLE_ROWS;
    note.textContent = `Showing the first ${MAX_TABLE_ROWS} matching rows; download the CSV for all of them.`;
  }

  function download() {
    const blob = new Blob([state.csvText], { type: "text/csv;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = state.fileName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  // --- Patterns view: GET /patterns (largest first) and GET /patterns/{id} for each sparkline ---

  const PATTERN_ROWS = 50;
  const STEP_FOR_WINDOW = { 3600: "minute", 86400: "hour", 604800: "hour", 2592000: "day" };

  function apiHeaders() {
    const key = $("api-key").value.trim();
    return key ? { "X-API-Key": key } : {};
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: apiHeaders() });
    let body = null;
    try { body = await response.json(); } catch (_) { /* not JSON */ }
    if (!response.ok) throw new Error(`Error ${response.status}: ${(body && body.detail) || response.statusText}`);
    return body;
  }

  function windowQuery() {
    const seconds = Number($("pattern-window").value);
    const end = new Date();
    const start = new Date(end.getTime() - seconds * 1000);
    return { seconds, start: start.toISOString(), end: end.toISOString() };
  }

  function sparkline(series) {
    const width = 120, height = 28;
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("class", "spark");
    const counts = series.map((point) => point.count);
    const max = Math.max(1, ...counts);
    const stepX = counts.length > 1 ? width / (counts.length - 1) : 0;
    const points = counts.map((n, i) => `${(i * stepX).toFixed(1)},${(height - 2 - ((height - 4) * n) / max).toFixed(1)}`);
    const line = document.createElementNS(SVG_NS, "polyline");
    line.setAttribute("points", points.join(" "));
    svg.append(line);
    svg.dataset.total = String(counts.reduce((a, b) => a + b, 0));
    const title = document.createElementNS(SVG_NS, "title");
    title.textContent = `${counts.length} points, peak ${max}`;
    svg.append(title);
    return svg;
  }

  function cell(text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  // --- corrections: a person's label on a pattern ---

  async function sendLabel(id, method, label) {
    const init = { method, headers: apiHeaders() };
    if (label) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify({ label, note: "corrected on the web page" });
    }
    const response = await fetch(`/patterns/${encodeURIComponent(id)}/label`, init);
    let body = null;
    try { body = await response.json(); } catch (_) { /* not JSON */ }
    if (!response.ok) throw new Error(`Error ${response.status}: ${(body && body.detail) || response.statusText}`);
    return body;
  }

  function showCorrection(tr, item) {
    tr.classList.toggle("corrected", item.corrected);
    tr.dataset.corrected = String(item.corrected);
    tr.querySelector("td.label").textContent = item.label;
    tr.querySelector("td.label").title = item.corrected ? "a person's label (" + item.reason + ")" : item.reason;
    tr.querySelector("button.undo-correction").hidden = !item.corrected;
    tr.querySelector("select.label-control").value = "";
  }

  function correctionCell(item, tr) {
    const td = document.createElement("td");
    td.className = "correct";
    const select = document.createElement("select");
    select.className = "label-control";
    select.setAttribute("aria-label", `Correct the category of ${item.pattern}`);
    select.append(new Option("Correct to…", ""));
    for (const name of CORRECTABLE) select.append(new Option(name, name));
    const undo = document.createElement("button");
    undo.type = "button";
    undo.className = "undo-correction";
    undo.textContent = "Undo";
    undo.hidden = !item.corrected;
    const act = async (method, label) => {
      const box = $("pattern-error");
      box.hidden = true;
      select.disabled = undo.disabled = true;
      try {
        showCorrection(tr, await sendLabel(item.id, method, label));
      } catch (error) {
        box.textContent = error.message;
        box.hidden = false;
        select.value = "";
      } finally {
        select.disabled = undo.disabled = false;
      }
    };
    select.addEventListener("change", () => { if (select.value) act("PUT", select.value); });
    undo.addEventListener("click", () => act("DELETE", null));
    td.append(select, undo);
    return td;
  }

  let patternLoad = 0;

  async function loadPatterns() {
    const ticket = ++patternLoad;  // a newer load wins over a slower older one
    const box = $("pattern-error");
    box.hidden = true;
    const win = windowQuery();
    const params = new URLSearchParams({ start: win.start, end: win.end, limit: String(PATTERN_ROWS), order: "count" });
    if ($("pattern-label").value) params.set("label", $("pattern-label").value);
    if ($("pattern-source").value.trim()) params.set("source", $("pattern-source").value.trim());
    let body;
    try {
      body = await getJson(`/patterns?${params}`);
    } catch (error) {
      if (ticket !== patternLoad) return;
      box.textContent = error.message;
      box.hidden = false;
      document.querySelector("#patterns-table tbody").replaceChildren();
      $("pattern-summary").textContent = "";
      return;
    }
    if (ticket !== patternLoad) return;
    const since = $("new-since").value ? new Date($("new-since").value) : null;
    const rows = document.createDocumentFragment();
    const sparkCells = [];
    for (const item of body.patterns) {
      const tr = document.createElement("tr");
      tr.dataset.id = item.id;
      if (since && new Date(item.first_seen) >= since) tr.className = "new";
      const spark = document.createElement("td");
      spark.className = "trend";
      sparkCells.push([item.id, spark]);
      tr.append(cell(String(item.count), "number count"), spark, cell(item.label, "label"), correctionCell(item, tr),
        cell(item.source), cell(item.pattern, "pattern"), cell(item.example, "example"), cell(item.first_seen, "number time"),
        cell(item.last_seen, "number time"));
      showCorrection(tr, item);
      rows.append(tr);
    }
    document.querySelector("#patterns-table tbody").replaceChildren(rows);
    $("pattern-summary").textContent = `${body.total} patterns, ${body.lines} lines` +
      (body.total > body.patterns.length ? ` (the ${body.patterns.length} largest shown)` : "");
    const step = STEP_FOR_WINDOW[win.seconds] || "hour";
    await Promise.all(sparkCells.map(async ([id, td]) => {
      const query = new URLSearchParams({ start: win.start, end: win.end, step });
      try {
        const detail = await getJson(`/patterns/${encodeURIComponent(id)}?${query}`);
        if (ticket === patternLoad) td.replaceChildren(sparkline(detail.series));
      } catch (_) { /* the table stays useful without its sparkline */ }
    }));
    if (ticket === patternLoad) $("patterns-table").dataset.loaded = String(ticket);
  }

  function setupPatterns() {
    const select = $("pattern-label");
    for (const name of CATEGORIES) select.append(new Option(name, name));
    for (const id of ["pattern-window", "pattern-label", "new-since"]) $(id).addEventListener("change", loadPatterns);
    $("pattern-source").addEventListener("change", loadPatterns);
    $("pattern-refresh").addEventListener("click", loadPatterns);
    loadPatterns();
  }

  document.addEventListener("DOMContentLoaded", () => {
    setupPatterns();
    $("upload-form").addEventListener("submit", upload);
    $("category-filter").addEventListener("change", renderRows);
    $("stage-filter").addEventListener("change", renderRows);
    $("text-filter").addEventListener("input", renderRows);
    $("download-button").addEventListener("click", download);
  });
})();
