// The accessibility audit that test_accessibility.py runs on every page.
(() => {
  const problems = [];
  const text = (el) => (el.innerText || el.textContent || '').trim();
  const h1s = document.querySelectorAll('h1');
  if (h1s.length !== 1) problems.push(`${h1s.length} h1 elements`);
  let previous = 0;
  for (const h of document.querySelectorAll('h1,h2,h3,h4,h5,h6')) {
    const level = Number(h.tagName[1]);
    if (previous && level > previous + 1) {
      problems.push(`heading skips from h${previous} to h${level}: "${text(h)}"`);
    }
    previous = level;
  }
  for (const el of document.querySelectorAll('input:not([type=hidden]),select,textarea')) {
    const labelled = (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.closest('label')
      || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.getAttribute('title');
    if (!labelled) problems.push(`unlabelled ${el.tagName.toLowerCase()} name=${el.name}`);
  }
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push(`img without alt: ${img.src}`);
  }
  for (const table of document.querySelectorAll('table')) {
    if (!table.querySelector('caption') && !table.getAttribute('aria-label') && !table.getAttribute('aria-labelledby'))
      problems.push(`table without caption near "${text(table).slice(0, 40)}"`);
  }
  for (const a of document.querySelectorAll('a[href]')) {
    if (!text(a) && !a.getAttribute('aria-label') && !a.querySelector('img[alt]:not([alt=""])'))
      problems.push(`link without text: ${a.getAttribute('href')}`);
  }
  for (const b of document.querySelectorAll('button')) {
    if (!text(b) && !b.getAttribute('aria-label')) problems.push('button without text');
  }
  const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicates.length) problems.push(`duplicate ids: ${[...new Set(duplicates)].join(', ')}`);
  if (!document.documentElement.lang) problems.push('no lang on <html>');
  return problems;
})
