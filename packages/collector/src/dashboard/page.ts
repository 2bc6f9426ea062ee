/**
 * The dashboard's HTML. Its CSS and module are served next to it (`dashboard/dashboard.css`,
 * `dashboard/dashboard.js`), by relative URLs, so the page works at `/` and at `/dashboard`
 * (and behind a reverse proxy that adds a path prefix). Everything inside is built by the module.
 */
export const DASHBOARD_HTML: string = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Collector dashboard · @shims/collector</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="dashboard/dashboard.css">
<script type="module" src="dashboard/dashboard.js"></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to the conferences</a>
<header class="top">
  <h1>Collector dashboard</h1>
  <div class="status">
    <p id="updated" class="muted">Loading…</p>
    <button id="pause" type="button" aria-pressed="false">Pause updates</button>
  </div>
  <p id="error" class="error" role="alert" hidden></p>
</header>
<main id="main" tabindex="-1">
  <section id="conferences" class="panel" aria-labelledby="conferences-heading">
    <h2 id="conferences-heading">Conferences</h2>
    <p id="conferences-empty" class="muted" hidden>No conference yet: point callstats.js at this collector (see the README).</p>
    <table id="conference-table" class="data stack">
      <caption class="visually-hidden">Conferences, most recently active first. Select one to see its fabrics.</caption>
      <thead>
        <tr><th scope="col">Conference</th><th scope="col">App</th><th scope="col">First seen</th><th scope="col">Last seen</th><th scope="col">Users</th><th scope="col" class="num">Fabrics</th></tr>
      </thead>
      <tbody></tbody>
    </table>
    <p><button id="conferences-older" type="button" hidden>Show older conferences</button></p>
  </section>
  <section id="fabrics" class="panel" aria-labelledby="fabrics-heading" hidden>
    <h2 id="fabrics-heading" tabindex="-1">Fabrics</h2>
    <p id="fabrics-empty" class="muted" hidden></p>
    <table id="fabric-table" class="data stack">
      <caption class="visually-hidden">Fabrics (one per peer connection) of the selected conference. Select one to see its timeline and stats.</caption>
      <thead>
        <tr><th scope="col">Connection</th><th scope="col">Local → remote</th><th scope="col">State</th><th scope="col" class="num">Setup delay</th><th scope="col">Failures</th></tr>
      </thead>
      <tbody></tbody>
    </table>
  </section>
  <section id="call-summary" class="panel" aria-labelledby="call-summary-heading" hidden>
    <h2 id="call-summary-heading">How each user's call went</h2>
    <p class="muted">Per user, each fabric to the other side: median / worst over its stats points (worst: the lowest bitrate, the highest jitter and RTT). Impaired: the intervals between points with at least 1 packet/s lost, jitter of 30 ms or more, or RTT of 300 ms or more. A data channel has no stats: callstats.js samples media only.</p>
    <div id="call-summary-users"></div>
  </section>
  <section id="fabric" class="panel" aria-labelledby="fabric-heading" hidden>
    <h2 id="fabric-heading" tabindex="-1">Fabric</h2>
    <dl id="fabric-summary" class="summary"></dl>
    <div class="fabric-layout">
      <section class="timeline-panel" aria-labelledby="timeline-heading">
        <h3 id="timeline-heading">Timeline</h3>
        <p class="muted">Offsets from the fabric's first event (the library's clock).</p>
        <p id="timeline-empty" class="muted" hidden>No event yet.</p>
        <ol id="timeline" class="timeline"></ol>
      </section>
      <section class="charts-panel" aria-labelledby="charts-heading">
        <h3 id="charts-heading">Stats over time</h3>
        <p class="muted">One point per stats batch, in seconds since setup.</p>
        <div id="charts" class="charts"></div>
      </section>
    </div>
  </section>
</main>
</body>
</html>
`;
