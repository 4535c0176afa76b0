// The tenant page: the tree under the current tenant, and the form to create a child tenant.
'use strict';

Z.ready(async function (ctx) {
  const L = Z.labels;
  const treeEl = document.getElementById('tenant-tree');
  const status = document.getElementById('tree-status');
  const form = document.getElementById('tenant-form');
  const parentSel = document.getElementById('t-parent');
  const tierSel = document.getElementById('t-tier');
  let tenants = [];

  async function loadTree(highlight) {
    status.textContent = '正在加载… Loading…';
    const r = await Z.api('GET', '/api/v1/tenants');
    if (!r.ok) {
      status.textContent = '无法加载租户树：' + Z.errorText(r);
      return;
    }
    tenants = (r.data.tenants || []).slice().sort(Z.comparePaths);
    const base = tenants.length ? Math.min(...tenants.map(Z.depth)) : 1;
    treeEl.textContent = '';
    for (const t of tenants) {
      const depth = Math.min(5, Z.depth(t) - base);
      const classes = ['depth-' + depth];
      if (t.id === r.data.current) classes.push('current');
      if (t.id === highlight) classes.push('created');
      const li = Z.el('li', { class: classes.join(' '), 'data-id': t.id, 'data-depth': depth },
        Z.el('span', { class: 'badge badge-tier', title: t.tier, text: L.tiers[t.tier] || t.tier }),
        Z.el('span', { class: 'tname', text: t.name }),
        Z.el('span', { class: 'tcode', text: t.id }));
      if (t.id === r.data.current) li.append(Z.el('span', { class: 'muted', text: '当前 current' }));
      treeEl.append(li);
    }
    status.textContent = '共 ' + tenants.length + ' 个租户 / ' + tenants.length + ' tenants';
    fillParents(highlight ? parentSel.value : r.data.current);
    if (highlight) {
      const li = treeEl.querySelector('li[data-id="' + CSS.escape(highlight) + '"]');
      if (li) li.scrollIntoView({ block: 'nearest' });
    }
  }

  function fillParents(selected) {
    parentSel.textContent = '';
    const base = tenants.length ? Math.min(...tenants.map(Z.depth)) : 1;
    for (const t of tenants) {
      if (t.tier === 'township') continue; // the lowest tier has no children
      const pad = '\u3000'.repeat(Z.depth(t) - base);
      parentSel.append(Z.el('option', { value: t.id, selected: t.id === selected,
        text: pad + t.name + '（' + (L.tiers[t.tier] || t.tier) + ' ' + t.id + '）' }));
    }
    suggestTier();
  }

  // suggestTier picks the tier right below the chosen parent's.
  function suggestTier() {
    const p = tenants.find(function (t) { return t.id === parentSel.value; });
    if (!p) return;
    const i = L.tierOrder.indexOf(p.tier);
    if (i >= 0 && i + 1 < L.tierOrder.length) tierSel.value = L.tierOrder[i + 1];
  }
  parentSel.addEventListener('change', suggestTier);

  if (!Z.can('tenants.write')) {
    document.getElementById('new-tenant').hidden = true;
  }

  form.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    Z.clearFormErrors(form);
    const req = {
      parent_id: parentSel.value,
      id: form.elements.id.value.trim(),
      name: form.elements.name.value.trim(),
      tier: tierSel.value
    };
    const btn = form.querySelector('button[type="submit"]');
    btn.disabled = true;
    const r = await Z.api('POST', '/api/v1/tenants', { json: req });
    btn.disabled = false;
    if (!r.ok) {
      Z.showFormErrors(form, r);
      return;
    }
    form.elements.id.value = '';
    form.elements.name.value = '';
    Z.showOK(form, '已创建：' + r.data.name + '（' + r.data.id + '）/ created');
    await loadTree(r.data.id);
    await Z.refreshContext();
  });

  await loadTree();
});
