// The gateway's web page: renders the snapshots and samples of the gateway's live feed (Server-Sent Events from
// api/events). Everything a client chose (channel names, device ids, payloads) is set with textContent: text, never HTML.
"use strict";
(() => {
  const MAX_POINTS = 600; // 30 s of the feed's samples (20 a second at most per channel)
  const HEIGHT = 260;
  const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];
  const $ = (id) => document.getElementById(id);
  const plotBox = $("plot");

  let source = null;
  let watched = null; // { id, name } of the plotted channel
  let plot = null;
  let fields = [];
  let data = [[]];
  let plotted = 0;
  let firstSeq = null;
  let lastSeq = 0;
  let dropped = 0;
  let violations = 0;

  // A test reads this: the page must not need anything the Content-Security-Policy forbids.
  document.addEventListener("securitypolicyviolation", () => { document.body.dataset.cspViolations = String(++violations); });

  const cell = (row, text, className) => {
    const td = row.insertCell();
    td.textContent = text;
    if (className) td.className = className;
    return td;
  };

  const duration = (ms) => {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return `${s} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min`;
    return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  };

  function renderStatus(snapshot) {
    const s = snapshot.stats;
    const f = snapshot.feed;
    $("status").className = "";
    $("status").textContent = `up ${duration(snapshot.uptimeMs)} · ${s.connections} connection(s) · page: ${snapshot.access}` +
      ` · invalid messages ${s.invalidMessages} · slow-consumer drops ${s.slowConsumerDrops}` +
      ` · feed: ${f.browsers} browser(s), ${f.droppedEvents} event(s) dropped for slow ones`;
  }

  function renderChannels(snapshot) {
    const rows = snapshot.channels.map((ch) => {
      const tr = document.createElement("tr");
      const name = cell(tr, "");
      if (ch.id !== null) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "channel";
        button.textContent = ch.channel;
        button.dataset.channelId = String(ch.id);
        button.addEventListener("click", () => watch(ch.id, ch.channel));
        name.appendChild(button);
      } else {
        name.textContent = ch.channel;
      }
      if (watched && watched.id === ch.id) tr.className = "watched";
      cell(tr, ch.project);
      cell(tr, ch.members.length ? `${ch.subscribers}: ${ch.members.join(", ")}` : String(ch.subscribers));
      cell(tr, ch.perSecond.toFixed(1), "num");
      cell(tr, String(ch.messages), "num");
      const last = cell(tr, "", "last");
      if (ch.last) {
        const meta = document.createElement("div");
        meta.className = "meta";
        meta.textContent = `from ${ch.last.from ?? "?"}, ${duration(ch.lastAgeMs)} ago`;
        const text = document.createElement("pre");
        text.textContent = ch.last.text;
        last.append(meta, text);
      }
      return tr;
    });
    $("channels").tBodies[0].replaceChildren(...rows);
    $("channels-note").textContent = (snapshot.channels.length ? "" : "No channel in use yet. ") +
      (snapshot.channelsNotShown ? `${snapshot.channelsNotShown} more channel(s) not shown. ` : "") +
      (snapshot.untrackedMessages ? `${snapshot.untrackedMessages} message(s) to channels past the page's limit, not counted per channel.` : "");
  }

  function renderClients(snapshot) {
    const rows = snapshot.clients.map((c) => {
      const tr = document.createElement("tr");
      [c.connId, c.deviceId ?? "", c.clientId ?? "", c.deviceName ?? "", c.project, c.channels.join(", ")]
        .forEach((text) => cell(tr, text));
      cell(tr, `${duration(c.connectedForMs)} ago`);
      cell(tr, duration(c.idleMs));
      return tr;
    });
    $("clients").tBodies[0].replaceChildren(...rows);
    $("clients-note").textContent = (snapshot.clients.length ? "" : "No client connected. ") +
      (snapshot.clientsNotShown ? `${snapshot.clientsNotShown} more not shown.` : "");
  }

  function onSnapshot(snapshot) {
    renderStatus(snapshot);
    renderChannels(snapshot);
    renderClients(snapshot);
  }

  function newPlot(names) {
    if (plot) plot.destroy();
    fields = names;
    data = [[], ...names.map(() => [])];
    plot = new uPlot({
      width: Math.max(320, plotBox.clientWidth),
      height: HEIGHT,
      scales: { x: { time: true } },
      series: [{}, ...names.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true }))],
    }, data, plotBox);
  }

  function onSample(sample) {
    if (!watched || sample.id !== watched.id) return;
    const names = sample.fields.map((f) => f[0]);
    if (names.length === 0) {
      $("plot-note").textContent = "The last message has no numbers to plot.";
      return;
    }
    if (names.length !== fields.length || names.some((n, i) => n !== fields[i])) newPlot(names);
    data[0].push(sample.t / 1000);
    sample.fields.forEach((f, i) => data[i + 1].push(f[1]));
    if (data[0].length > MAX_POINTS) data.forEach((series) => series.splice(0, series.length - MAX_POINTS));
    plot.setData(data);
    plotted++;
    if (firstSeq === null) firstSeq = sample.seq;
    lastSeq = sample.seq;
    // What uPlot now holds, for a reader of the page (and its browser test).
    plotBox.dataset.points = String(plot.data[0].length);
    plotBox.dataset.last = JSON.stringify(fields.map((name, i) => [name, plot.data[i + 1].at(-1)]));
    noteSampling();
  }

  function noteSampling() {
    const seen = lastSeq - firstSeq + 1;
    $("plot-note").textContent = `Plotted ${plotted} of the ${seen} message(s) since you chose it` +
      " (the gateway sends at most 20 samples a second per channel, the newest each time)" +
      (dropped ? `; ${dropped} event(s) dropped because this browser read too slowly.` : ".");
  }

  function watch(id, name) {
    watched = { id, name };
    fields = [];
    plotted = 0;
    firstSeq = null;
    if (plot) plot.destroy();
    plot = null;
    plotBox.replaceChildren();
    plotBox.dataset.points = "0";
    plotBox.dataset.channelId = String(id);
    $("plot-title").textContent = name;
    $("plot-note").textContent = "Waiting for the next message...";
    connect();
  }

  function connect() {
    if (source) source.close();
    source = new EventSource(watched ? `api/events?channel=${encodeURIComponent(watched.id)}` : "api/events");
    source.addEventListener("snapshot", (e) => onSnapshot(JSON.parse(e.data)));
    source.addEventListener("sample", (e) => onSample(JSON.parse(e.data)));
    source.addEventListener("feed", (e) => { dropped = JSON.parse(e.data).dropped; });
    source.addEventListener("error", () => {
      $("status").className = "offline";
      $("status").textContent = "Not connected to the gateway: retrying...";
    });
  }

  window.addEventListener("resize", () => { if (plot) plot.setSize({ width: Math.max(320, plotBox.clientWidth), height: HEIGHT }); });
  connect();
})();
