// The dashboard's page. Every text comes from the server already made inert (controls and bidi
// marks as visible escapes) and is put in as text, never as markup. The session token comes in the
// URL's fragment, which never leaves the browser; the page keeps it in this tab's session storage
// (no other port or site reads it) and sends it as a header, never as a cookie.
'use strict';

const KEY = 'bottle-dashboard-token';
let token = null;
let csrf = null;
/** The question cards by id, kept across refreshes so that nothing moves under the person's pointer. */
const cards = new Map();

function takeToken() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.has('token')) {
    sessionStorage.setItem(KEY, fragment.get('token'));
    // the token leaves the address bar and the history
    history.replaceState(null, '', location.pathname);
  }
  return sessionStorage.getItem(KEY);
}

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function status(text) {
  document.getElementById('status').textContent = text;
}

async function call(path, options = {}) {
  const headers = Object.assign({'Authorization': 'Bearer ' + token}, options.headers || {});
  const r = await fetch(path, Object.assign({}, options, {headers: headers, cache: 'no-store', credentials: 'omit'}));
  if (!r.ok) throw new Error(path + ': ' + r.status + ' ' + await r.text());
  return r.json();
}

/** What a bottle spent, against its budget's limits where it has them. */
function spent(row) {
  const tokens = row.spent ? Number(row.spent.tokens) : 0;
  const usd = row.spent ? Number(row.spent.usd) : 0;
  const budget = row.budget || {};
  if (!row.spent && !row.budget) return '-';
  const parts = [tokens.toLocaleString('en') + (budget.tokens ? ' of ' + Number(budget.tokens).toLocaleString('en') : '')
    + ' tokens', '$' + usd.toFixed(2) + (budget.usd ? ' of $' + Number(budget.usd).toFixed(2) : '')];
  const shares = [];
  if (budget.tokens) shares.push(tokens / Number(budget.tokens));
  if (budget.usd) shares.push(usd / Number(budget.usd));
  const share = shares.length ? Math.max(...shares) : 0;
  return parts.join(', ') + (shares.length ? ' (' + Math.floor(share * 100) + '%' + (share >= 1 ? ', spent' : '') + ')' : '');
}

/** The bottle rows by slug, kept across refreshes: a Stop waiting for its confirmation stays. */
const rows = new Map();

function button(label, name, action) {
  const b = el('button', label);
  b.type = 'button';
  b.setAttribute('aria-label', name);
  b.addEventListener('click', action);
  return b;
}

/** The cells of each bottle's row. */
const rowCells = new WeakMap();

/** A bottle's row, made once: its cells change in place, so a Stop waiting for its confirmation stays armed. */
function bottleRow(slug) {
  const tr = el('tr');
  tr.dataset.slug = slug;
  const cells = {slug: el('td', slug), agent: el('td'), backend: el('td'), state: el('td'), started: el('td'),
    spent: el('td')};
  const actions = el('td');
  actions.append(button('Traffic', 'Traffic of ' + slug, () => watch(slug)));
  // a stop asks once more before it goes
  const stop = button('Stop', 'Stop ' + slug, async () => {
    if (stop.dataset.armed !== 'yes') {
      stop.dataset.armed = 'yes';
      stop.textContent = 'Confirm stop';
      stop.setAttribute('aria-label', 'Confirm stop ' + slug);
      setTimeout(() => {
        stop.dataset.armed = '';
        stop.textContent = 'Stop';
        stop.setAttribute('aria-label', 'Stop ' + slug);
      }, 8000);
      return;
    }
    stop.disabled = true;
    status('stopping ' + slug + '…');
    try {
      await call('/api/bottles/' + encodeURIComponent(slug) + '/stop', {method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-Bottle-CSRF': csrf}, body: '{}'});
      status('stopped ' + slug);
      polls = 0;
      await refreshOnce();
    } catch (e) {
      status('not stopped: ' + e.message);
      stop.disabled = false;
    }
  });
  actions.append(stop);
  tr.append(cells.slug, cells.agent, cells.backend, cells.state, cells.started, cells.spent, actions);
  rowCells.set(tr, cells);
  return tr;
}

function fill(tr, row) {
  const c = rowCells.get(tr);
  c.agent.textContent = row.agent;
  c.backend.textContent = row.backend;
  c.state.replaceChildren(document.createTextNode(row.state));
  if (row.tainted) c.state.append(el('span', ' TAINTED', 'tainted'));
  if (row.verified) c.state.append(el('div', 'fence: ' + row.verified.result + ' (' + row.verified.at + ')', 'verified'));
  c.started.textContent = row.started_at;
  c.spent.textContent = spent(row);
}

function renderBottles(list) {
  const body = document.querySelector('#bottles tbody');
  const next = [];
  for (const row of list) {
    const tr = rows.get(row.slug) || bottleRow(row.slug);
    const key = JSON.stringify(row);
    if (tr.dataset.key !== key) {
      fill(tr, row);
      tr.dataset.key = key;
    }
    rows.set(row.slug, tr);
    next.push(tr);
  }
  for (const slug of [...rows.keys()]) {
    if (!list.some(r => r.slug === slug)) rows.delete(slug);
  }
  if (next.length !== body.children.length || next.some((tr, i) => body.children[i] !== tr)) {
    body.replaceChildren(...next);
  }
}

/** The records of stopped bottles, kept by slug: a verification shown stays until the record changes. */
const kept = new Map();

function recordRow(r) {
  const tr = el('tr');
  tr.dataset.slug = r.slug;
  const chain = el('td', r.tainted ? 'TAINTED' : '', r.tainted ? 'tainted' : '');
  const actions = el('td');
  actions.append(button('Record', 'Record of ' + r.slug, () => watch(r.slug)),
    button('Verify', 'Verify the record of ' + r.slug, async () => {
      try {
        const v = await call('/api/records/' + encodeURIComponent(r.slug) + '/verify');
        chain.textContent = v.intact ? 'chains: ' + v.lines + ' lines' : 'BROKEN at line ' + v.line + ': ' + v.problem;
        chain.className = v.intact ? '' : 'tainted';
      } catch (e) {
        chain.textContent = 'cannot verify: ' + e.message;
      }
    }));
  tr.append(el('td', r.slug), el('td', r.lines), el('td', r.last_at), el('td', spent(r)), chain, actions);
  return tr;
}

function renderRecords(list) {
  const stopped = list.filter(r => !r.running);
  document.getElementById('no-records').hidden = stopped.length > 0;
  const body = document.querySelector('#records tbody');
  const next = [];
  for (const r of stopped) {
    const key = JSON.stringify(r);
    const known = kept.get(r.slug);
    const tr = known && known.dataset.key === key ? known : recordRow(r);
    tr.dataset.key = key;
    kept.set(r.slug, tr);
    next.push(tr);
  }
  if (next.length !== body.children.length || next.some((tr, i) => body.children[i] !== tr)) {
    body.replaceChildren(...next);
  }
}

/** Hands the data of each server-sent event of response {@code r} to {@code take}, until the stream ends. */
async function events(r, take) {
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, {stream: true});
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const field of event.split('\n')) {
        if (field.startsWith('data: ')) take(field.slice(6));
      }
    }
  }
}

/** The traffic view: one bottle's record as the gateway writes it, pushed by the server. */
let watching = null;

function trafficRow(line) {
  const decision = line.decision || '';
  const tr = el('tr', null, decision === 'alert' ? 'alert' : decision === 'deny' ? 'refused' : '');
  tr.dataset.decision = decision;
  tr.dataset.host = line.host || '';
  const bytes = (line.bytes_up || 0) + (line.bytes_down || 0);
  tr.append(el('td', line.time), el('td', line.method), el('td', line.host ? line.host + ':' + line.port : ''),
    el('td', line.path), el('td', decision), el('td', (line.rule ? line.rule + ': ' : '') + (line.reason || '')),
    el('td', line.status || ''),
    el('td', bytes ? bytes : ''));
  return tr;
}

function shown(tr) {
  const decision = document.getElementById('traffic-decision').value;
  const host = document.getElementById('traffic-host').value.trim();
  return (!decision || tr.dataset.decision === decision) && (!host || tr.dataset.host.includes(host));
}

function filterTraffic() {
  for (const tr of document.querySelectorAll('#traffic tbody tr')) tr.hidden = !shown(tr);
}

async function watch(slug, retry = true) {
  if (watching) watching.abort();
  const controller = new AbortController();
  watching = controller;
  document.getElementById('traffic-of').textContent = 'of ' + slug;
  document.getElementById('no-traffic').hidden = true;
  const body = document.querySelector('#traffic tbody');
  body.replaceChildren();
  try {
    const r = await fetch('/api/bottles/' + encodeURIComponent(slug) + '/traffic', {
      headers: {'Authorization': 'Bearer ' + token}, cache: 'no-store', credentials: 'omit',
      signal: controller.signal});
    if (r.status === 429 && retry) {
      // a view just closed frees its stream within a second or two
      await new Promise(done => setTimeout(done, 2500));
      if (watching === controller) return watch(slug, false);
      return;
    }
    if (!r.ok) throw new Error(r.status + ' ' + await r.text());
    await events(r, data => {
      const tr = trafficRow(JSON.parse(data));
      tr.hidden = !shown(tr);
      body.prepend(tr);
      while (body.children.length > 500) body.lastChild.remove();
    });
  } catch (e) {
    if (e.name !== 'AbortError') status('the traffic of ' + slug + ' stopped: ' + e.message);
  }
}

async function decide(id, approve, scope) {
  try {
    await call('/api/questions/' + encodeURIComponent(id) + '/' + (approve ? 'approve' : 'deny'), {
      method: 'POST', headers: {'Content-Type': 'application/json', 'X-Bottle-CSRF': csrf},
      body: JSON.stringify({scope: scope})
    });
  } catch (e) {
    status('not decided: ' + e.message);
  }
  // the pressed button goes with its card: the keyboard starts again from the page
  if (document.activeElement) document.activeElement.blur();
  await refreshOnce();
}

function card(q) {
  const li = el('li', null, 'question' + (q.state === 'pending' ? '' : ' decided'));
  li.dataset.id = q.id;
  li.dataset.state = q.state;
  const head = el('p');
  head.append(el('strong', q.bottle), el('span', ' · ' + q.asker + ' · ' + q.kind + ' · ' + q.state));
  li.append(head);
  if (q.egress) {
    const e = q.egress;
    li.append(el('p', e.method + ' ' + e.host + ':' + e.port + e.path, 'what'));
    const at = el('p', 'resolves to ' + (e.addresses.length ? e.addresses.join(', ') : 'nothing'));
    if (e.private_network) at.append(el('span', ' PRIVATE NETWORK', 'private'));
    li.append(at);
  } else {
    li.append(el('p', q.title, 'what' + (q.asker === 'agent' ? ' agent-words' : '')));
    if (q.details) li.append(el('p', q.details, 'what'));
  }
  if (q.state === 'pending') {
    const actions = el('p');
    // the narrowest grant unless the person picks a wider one
    const scope = el('select');
    scope.setAttribute('aria-label', 'Scope of an approval');
    for (const [value, label] of [['request', 'this request'], ['bottle', 'this bottle'],
                                  ['manifest', 'save to the manifest']]) {
      const option = el('option', label);
      option.value = value;
      scope.append(option);
    }
    const approve = el('button', 'Approve');
    approve.type = 'button';
    approve.addEventListener('click', () => decide(q.id, true, q.egress ? scope.value : 'bottle'));
    const deny = el('button', 'Deny');
    deny.type = 'button';
    deny.addEventListener('click', () => decide(q.id, false, 'bottle'));
    actions.append(approve, deny);
    if (q.egress) actions.append(scope);
    li.append(actions);
  } else {
    li.append(el('p', q.state + (q.decided_by ? ' by ' + q.decided_by : '') + (q.decided_at ? ' at ' + q.decided_at : '')
      + (q.reason ? ': ' + q.reason : '') + (q.state === 'approved' && q.egress ? ' (scope ' + q.scope + ')' : '')));
  }
  return li;
}

/** Whether the person is at the questions: then no card is removed or moved under them, new ones go last. */
function busy() {
  const list = document.getElementById('questions');
  return list.matches(':hover') || list.contains(document.activeElement);
}

function renderQuestions(questions) {
  const list = document.getElementById('questions');
  document.getElementById('no-questions').hidden = questions.some(q => q.state === 'pending');
  if (busy()) {
    for (const q of questions) {
      const known = cards.get(q.id);
      if (!known) {
        const node = card(q);
        cards.set(q.id, node);
        list.append(node);
      } else if (known.dataset.state !== q.state) {
        // answered, here or elsewhere: shown so in its place, and no other card moves
        const node = card(q);
        known.replaceWith(node);
        cards.set(q.id, node);
      }
    }
    return;
  }
  const next = [];
  for (const q of questions) {
    const known = cards.get(q.id);
    const node = known && known.dataset.state === q.state ? known : card(q);
    cards.set(q.id, node);
    next.push(node);
  }
  for (const id of [...cards.keys()]) {
    if (!questions.some(q => q.id === id)) cards.delete(id);
  }
  list.replaceChildren(...next);
}

let polls = 0;

/** Reads the state again; the kept records (a heavier read) every eighth time. */
async function refresh() {
  const records = polls++ % 8 === 0;
  const [bottles, questions, kept] = await Promise.allSettled([call('/api/bottles'), call('/api/questions'),
    records ? call('/api/records') : Promise.resolve(null)]);
  const failed = [bottles, questions, kept].filter(r => r.status === 'rejected');
  if (bottles.status === 'fulfilled') renderBottles(bottles.value);
  if (questions.status === 'fulfilled') renderQuestions(questions.value);
  if (kept.status === 'fulfilled' && kept.value) renderRecords(kept.value);
  status(failed.length ? 'cannot reach the dashboard: ' + failed[0].reason.message
    : 'updated ' + new Date().toLocaleTimeString());
}

/** Whether the server pushes each change; until then, and whenever it cannot, the page polls. */
let pushed = false;
let refreshing = null;
let again = false;

/** One refresh at a time; a change during one brings one more after it. */
async function refreshOnce() {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = refresh();
  try {
    await refreshing;
  } finally {
    refreshing = null;
  }
  if (again) {
    again = false;
    await refreshOnce();
  }
}

/** Polls one after another, never two at once: every 2 s without pushes, every 15 s with them. */
async function poll() {
  await refreshOnce();
  setTimeout(poll, pushed ? 15000 : 2000);
}

/** Listens for the server's word that something changed (server-sent events over the page's own request). */
async function listen() {
  try {
    const r = await fetch('/api/changes', {headers: {'Authorization': 'Bearer ' + token}, cache: 'no-store',
      credentials: 'omit'});
    if (!r.ok) throw new Error(r.status);
    pushed = true;
    await events(r, () => refreshOnce());
  } catch (e) {
    // the page polls on
  }
  pushed = false;
  setTimeout(listen, 5000);
}

async function start() {
  document.getElementById('traffic-decision').addEventListener('change', filterTraffic);
  document.getElementById('traffic-host').addEventListener('input', filterTraffic);
  token = takeToken();
  if (!token) {
    status('open the URL bottle dashboard printed: this tab has no token');
    return;
  }
  try {
    csrf = (await call('/api/session')).csrf;
  } catch (e) {
    status('open the URL bottle dashboard printed: ' + e.message);
    return;
  }
  listen();
  await poll();
}

start();
