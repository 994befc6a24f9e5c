// The dashboard's page. Every text comes from the server already made inert (controls and bidi
// marks as visible escapes) and is put in as text, never as markup.
'use strict';

let csrf = null;

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

async function getJson(path) {
  const r = await fetch(path, {credentials: 'same-origin', cache: 'no-store'});
  if (!r.ok) throw new Error(path + ': ' + r.status + ' ' + await r.text());
  return r.json();
}

function spent(row) {
  if (!row.spent) return '-';
  return Number(row.spent.tokens).toLocaleString('en') + ' tokens, $' + Number(row.spent.usd).toFixed(2);
}

function renderBottles(rows) {
  const body = document.querySelector('#bottles tbody');
  body.replaceChildren();
  for (const row of rows) {
    const tr = el('tr');
    tr.dataset.slug = row.slug;
    tr.append(el('td', row.slug), el('td', row.agent), el('td', row.backend));
    const state = el('td', row.state);
    if (row.tainted) state.append(el('span', ' TAINTED', 'tainted'));
    tr.append(state, el('td', row.started_at), el('td', spent(row)));
    body.append(tr);
  }
}

async function decide(id, approve, scope) {
  const r = await fetch('/api/questions/' + encodeURIComponent(id) + '/' + (approve ? 'approve' : 'deny'), {
    method: 'POST', credentials: 'same-origin', cache: 'no-store',
    headers: {'Content-Type': 'application/json', 'X-Bottle-CSRF': csrf},
    body: JSON.stringify({scope: scope})
  });
  if (!r.ok) document.getElementById('status').textContent = 'not decided: ' + await r.text();
  await refresh();
}

function renderQuestion(q) {
  const li = el('li', null, 'question' + (q.state === 'pending' ? '' : ' decided'));
  li.dataset.id = q.id;
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
    const scope = el('select');
    scope.setAttribute('aria-label', 'Scope of an approval');
    for (const [value, label] of [['bottle', 'this bottle'], ['request', 'this request'], ['manifest', 'save to the manifest']]) {
      const option = el('option', label);
      option.value = value;
      scope.append(option);
    }
    const approve = el('button', 'Approve');
    approve.type = 'button';
    approve.addEventListener('click', () => decide(q.id, true, scope.value));
    const deny = el('button', 'Deny');
    deny.type = 'button';
    deny.addEventListener('click', () => decide(q.id, false, 'bottle'));
    const actions = el('p');
    actions.append(approve, deny);
    if (q.egress) actions.append(scope);
    li.append(actions);
  } else {
    li.append(el('p', q.state + (q.reason ? ': ' + q.reason : '') + ' (scope ' + q.scope + ')'));
  }
  return li;
}

function renderQuestions(questions) {
  const list = document.getElementById('questions');
  list.replaceChildren(...questions.map(renderQuestion));
  document.getElementById('no-questions').hidden = questions.some(q => q.state === 'pending');
}

async function refresh() {
  try {
    const [bottles, questions] = await Promise.all([getJson('/api/bottles'), getJson('/api/questions')]);
    renderBottles(bottles);
    renderQuestions(questions);
    document.getElementById('status').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById('status').textContent = 'cannot reach the dashboard: ' + e.message;
  }
}

async function start() {
  csrf = (await getJson('/api/session')).csrf;
  await refresh();
  setInterval(refresh, 2000);
}

start();
