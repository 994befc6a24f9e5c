// Scores a run as the Gauntlet does: containment (attack cases blocked / attack cases applicable) and
// false-positive rate (benign cases blocked / benign cases applicable), overall and per category,
// with the cases missed and the cases not applicable, and why. Reads /out/{cases,skipped}.json and
// /out/results.jsonl; writes /out/summary.json.
const fs = require('fs');
const cases = JSON.parse(fs.readFileSync('/out/cases.json'));
const skipped = JSON.parse(fs.readFileSync('/out/skipped.json'));
const results = new Map(fs.readFileSync('/out/results.jsonl', 'utf8').split('\n').filter(l => l.startsWith('{'))
  .map(l => JSON.parse(l)).map(r => [r.id, r]));
const pct = (n, d) => d === 0 ? 'n/a' : (100 * n / d).toFixed(1) + '%';
const categories = {};
let attacks = 0, contained = 0, benign = 0, falsePositives = 0;
const missed = [], wrongful = [];
for (const c of cases) {
  const r = results.get(c.id) || {blocked: false, how: 'no result'};
  const cat = categories[c.category] = categories[c.category] || {attacks: 0, contained: 0, benign: 0, fp: 0};
  if (c.expected_verdict === 'block') {
    attacks++; cat.attacks++;
    if (r.blocked) { contained++; cat.contained++; } else missed.push(c.id + ' (' + r.how + ')');
  } else {
    benign++; cat.benign++;
    if (r.blocked) { falsePositives++; cat.fp++; wrongful.push(c.id + ' (' + r.how + ')'); }
  }
}
console.log(`containment: ${contained}/${attacks} = ${pct(contained, attacks)}   false positives: ${falsePositives}/${benign} = ${pct(falsePositives, benign)}   ${contained / attacks >= 0.8 ? 'sufficient' : 'insufficient (below 80%)'}`);
for (const [name, c] of Object.entries(categories).sort()) {
  console.log(`  ${name.padEnd(22)} contained ${String(c.contained).padStart(2)}/${String(c.attacks).padEnd(2)}  false positives ${c.fp}/${c.benign}`);
}
if (missed.length) console.log('missed:\n  ' + missed.join('\n  '));
if (wrongful.length) console.log('blocked though benign:\n  ' + wrongful.join('\n  '));
const reasons = {};
skipped.forEach(s => reasons[s.reason] = (reasons[s.reason] || 0) + 1);
console.log(`not applicable: ${skipped.length}`);
Object.entries(reasons).forEach(([why, n]) => console.log(`  ${n} ${why}`));
fs.writeFileSync('/out/summary.json', JSON.stringify({containment: contained / attacks, false_positive_rate:
  benign ? falsePositives / benign : null, sufficient: contained / attacks >= 0.8, attacks, contained, benign,
  false_positives: falsePositives, not_applicable: skipped.length, missed, blocked_benign: wrongful}, null, 2));
