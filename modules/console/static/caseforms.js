// The form of each step of a case. Hand-written fields for the steps officers take every day (the
// general procedure, inspections, coercive measures, enforcement); for any other step the fields
// come from the step's request schema in the OpenAPI document, with a raw JSON body besides.
// Every form also takes the step's day (for steps recorded afterwards), a note, and the paper
// backfill (补录).
'use strict';

(function () {
  const F = {};
  ZC.forms = F;

  // The titles of the steps and entries after a decision that the record shows.
  Object.assign(ZC.actions, {
    arrange_payment: ['批准暂缓或分期缴纳', 'approve deferral or instalments'], record_remedy: ['记录复议、诉讼', 'record a remedy'],
    revise_decision: ['变更、撤销处罚决定', 'revoke or reduce the decision'], payment_received: ['罚款在线缴纳到账', 'fine paid online'],
    receipt_issued: ['开具财政电子票据', 'fiscal e-receipt issued'], refunded: ['退还罚款', 'money refunded'],
    consent_signed: ['当事人签署电子送达确认书', 'the party consented to e-delivery'], evaluated: ['当事人评议执法', 'the party evaluated'],
    reconsideration_applied: ['当事人申请行政复议', 'the party applied for reconsideration'],
    reconsideration_sent: ['复议申请已送达复议机关', 'the application reached the authority'],
    waive_hearing: ['当事人书面放弃听证', 'the party waives the hearing in writing'],
    waive_statement: ['当事人书面放弃陈述、申辩', 'the party waives its statement in writing'],
    notice_served: ['公告期满视为送达', 'served by public notice']
  });

  const today = function () { return ZC.today(); };
  const facts = function (env) { return (env.detail && env.detail.facts) || {}; };
  const team = function (env) { return facts(env).team || []; };
  const opt = function (table) { return Object.entries(table).map(function (e) { return [e[0], e[1][0], e[1][1]]; }); };

  // Field builders: name is the JSON path (dots for nesting), which is also the field the API
  // names in its errors.
  const text = function (name, zh, en, o) { return Object.assign({ name, type: 'text', label: [zh, en] }, o); };
  const area = function (name, zh, en, o) { return Object.assign({ name, type: 'textarea', label: [zh, en] }, o); };
  const date = function (name, zh, en, o) { return Object.assign({ name, type: 'date', label: [zh, en] }, o); };
  const check = function (name, zh, en, o) { return Object.assign({ name, type: 'check', label: [zh, en] }, o); };
  const select = function (name, zh, en, options, o) { return Object.assign({ name, type: 'select', label: [zh, en], options }, o); };
  const money = function (name, zh, en, o) { return Object.assign({ name, type: 'money', label: [zh, en] }, o); };
  const number = function (name, zh, en, o) { return Object.assign({ name, type: 'number', label: [zh, en] }, o); };
  const officers = function (name, zh, en, o) { return Object.assign({ name, type: 'officers', label: [zh, en], value: team }, o); };
  const reason = function (zh, en, o) { return area('reason', zh, en, Object.assign({ required: true }, o)); };

  const deliveryMethods = opt(ZC.methods);
  // The party's documents among the case's evidence: the signed waiver, the written statement.
  const evidence = function (name, zh, en, kinds, o) { return Object.assign({ name, type: 'evidence', label: [zh, en], evKinds: kinds }, o); };
  const uploadFirst = ['先在下方“证据”中上传（拍照或扫描），再在此选择', 'upload it under Evidence below first (photo or scan), then choose it here'];
  // How a document was served, by method (民事诉讼法 Art. 89, 91, 95): each field shows with its method.
  const served = [
    text('receipt', '送达回证 / 回执号', 'receipt', { value: function () { return '送达回证（当事人签收）'; }, method: ['direct', 'on_the_spot', 'left_at_address', 'post'] }),
    date('receipt_on', '邮寄回执上的签收日期（即送达日）', 'date on the return receipt (the day served)', { required: true, max: today(), method: ['post'],
      hint: [ZC.cite('post_receipt') + '：以回执上注明的收件日期为送达日期', 'Civil Procedure Law Art. 91'] }),
    { type: 'lines', name: 'witnesses', label: ['见证人（每行一人，姓名及身份）', 'witnesses: one a line'], method: ['left_at_address'],
      hint: [ZC.cite('left_at_address') + '：邀请有关基层组织或所在单位的代表到场；或以拍照、录像记录（下选影像）', 'Art. 89: witnesses, or photos or video of the leaving (below)'] },
    { type: 'evidences', name: 'evidence_ids', label: ['留置过程的照片、录像', 'photos or video of the leaving'], evKinds: ['audiovisual', 'electronic', 'record'], method: ['left_at_address'], hint: uploadFirst },
    select('public_notice.reason', '公告送达原因', 'why by public notice', [['whereabouts_unknown', '受送达人下落不明', 'whereabouts unknown'],
      ['other_methods_failed', '以其他方式无法送达', 'the other methods failed']], { required: true, method: ['public_notice'],
      hint: [ZC.cite('public_notice') + '：公告送达是最后的方式', 'Art. 95: the last resort'] }),
    { type: 'attempts', name: 'public_notice.attempts', label: ['此前未成功的送达（每行一次：日期 方式 结果，如 2025-09-19 post 邮件退回）', 'failed attempts: one a line, day method result'],
      method: ['public_notice'], hint: ['方式 method：direct、post、left_at_address、electronic；以其他方式无法送达的至少一次，且早于公告日', 'at least one, before the publication, when the other methods failed'] },
    date('public_notice.published_on', '公告日期', 'published on', { required: true, max: today(), method: ['public_notice'],
      hint: ['自公告之日起经过三十日视为送达（公告日不计）', 'served when 30 days have passed (the day itself not counted)'] }),
    text('public_notice.place', '公告地点 / 媒体', 'where published', { required: true, method: ['public_notice'], placeholder: '如：《三明日报》、本机关公告栏、门户网站' })
  ];
  const penaltyFromNotice = function (env) {
    const f = facts(env);
    return (f.notice && f.notice.penalty) || (f.proposal && f.proposal.penalty) || null;
  };

  // The hand-written forms, by action.
  F.specs = {
    verify: [
      area('findings', '核查情况', 'findings', { required: true }),
      date('act_ended_on', '违法行为发生（终了）日', 'day the act happened or ended', { value: function (env) { return facts(env).act_ended_on; },
        hint: ['用于处罚时效（' + ZC.cite('limitation') + '）', 'for the limitation period (Art. 36)'] }),
      check('limitation_5y', '涉及生命健康安全、金融安全且有危害后果（时效五年）', 'harm to life, health or financial security (5 years)', { value: function (env) { return facts(env).limitation_5y; } })
    ],
    dismiss: [reason('不予立案理由', 'reason')],
    file: [
      officers('officer_ids', '办案人员（至少两名持有效执法证）', 'the team: at least two certified officers', {
        hint: [ZC.cite('two_officers'), 'Art. 42'] }),
      date('act_ended_on', '违法行为发生（终了）日', 'day the act happened or ended', { value: function (env) { return facts(env).act_ended_on; } }),
      check('limitation_5y', '时效五年（涉及生命健康安全、金融安全且有危害后果）', '5-year limitation', { value: function (env) { return facts(env).limitation_5y; } }),
      { type: 'checks', label: ['案件特征', 'the case is'], items: [
        check('major', '重大案件', 'major'), check('complex', '情节复杂', 'complex'), check('review_required', '法律规定须法制审核', 'legal review required by law')] },
      area('opinion', '负责人审批意见', 'the head’s opinion', { value: function () { return '同意立案。'; } })
    ],
    investigate: [
      officers('officer_ids', '参加调查的执法人员（至少两名）', 'officers present: at least two', { required: true, hint: [ZC.cite('two_officers'), 'Art. 42'] }),
      area('record', '调查取证笔录', 'record of the investigation', { required: true, rows: 4 })
    ],
    preserve: [
      officers('officer_ids', '执法人员（至少两名）', 'officers: at least two', { required: true }),
      area('items', '先行登记保存的物品', 'things registered', { required: true }),
      area('record', '笔录', 'record', { required: true }),
    ],
    decide_preservation: [reason('处理决定（如：解除保存、送检、移送、没收）', 'decision on the registered things')],
    report: [
      area('facts', '调查查明的事实', 'facts found', { required: true, rows: 4 }),
      area('evidence', '主要证据', 'main evidence')
    ],
    propose: [
      { type: 'penalty', name: 'penalty', label: ['拟处罚', 'proposed penalty'] },
      { type: 'benchmark', label: ['裁量基准', 'discretion benchmark'] },
      area('outside_reason', '超出基准幅度或未适用基准的理由', 'why outside the benchmark range, or why none applies',
        { hint: ['罚款超出所选情节的幅度、或未选择裁量基准时必填（' + ZC.cite('discretion') + '）', 'required for a fine outside the range, or with no benchmark (Art. 34)'] })
    ],
    notify: [
      select('method', '送达方式', 'delivery method', deliveryMethods, { required: true, value: function () { return 'direct'; } }),
      check('hearing_right', '告知听证权利（达到较大数额等法定情形时自动告知）', 'offer the hearing right (offered anyway where the law requires it)',
        { hint: [ZC.cite('hearing_right') + '：当事人可在告知后5个工作日内申请听证', 'Art. 63, 64: the party may ask within 5 working days'] })
    ].concat(served),
    statement: [
      area('summary', '陈述、申辩要点', 'what the party said', { required: true }),
      date('received_on', '收到日期', 'received on', { max: today() }),
      evidence('evidence_id', '书面陈述、申辩材料或陈述申辩笔录', 'the written statement or the record of it', ['statement', 'documentary', 'audiovisual', 'record'],
        { required: true, hint: uploadFirst }),
      check('adopted', '陈述、申辩成立，予以采纳', 'adopted', { bool: true }),
      area('reason', '采纳或不予采纳的理由', 'why adopted or not', { required: true, hint: [ZC.cite('statement_review') + '：充分听取、复核；决定书载明采纳情况', 'Art. 45: reviewed; the decision states it'] })
    ],
    request_hearing: [],
    waive_hearing: [
      evidence('evidence_id', '当事人签名的放弃听证书面声明', 'the party’s signed waiver', ['documentary'], { required: true, hint: uploadFirst }),
      date('signed_on', '签署日期', 'signed on', { max: today() })
    ],
    waive_statement: [
      evidence('evidence_id', '当事人签名的放弃陈述、申辩书面声明', 'the party’s signed waiver', ['documentary'], { required: true, hint: uploadFirst }),
      date('signed_on', '签署日期', 'signed on', { max: today() })
    ],
    schedule_hearing: [
      date('hearing_on', '听证日期', 'hearing date', { required: true, hint: ['须在听证7个工作日前通知（' + ZC.cite('hearing_notice') + '）', 'notice 7 working days before (Art. 64)'] }),
      { type: 'officer', name: 'presider_id', label: ['听证主持人（非本案调查人员）', 'presider: not an investigator'], required: true, exclude: team },
      text('place', '听证地点', 'place', { required: true })
    ],
    hold_hearing: [area('summary', '听证笔录要点', 'hearing record', { required: true, rows: 4 })],
    submit_review: [],
    pass_review: [reason('审核意见', 'the reviewer’s opinion', { hint: ['由审核人员写明对事实、证据、程序、适用依据的意见（' + ZC.cite('legal_review') + '）', 'the reviewer writes their own opinion on facts, evidence, procedure and basis (Art. 58)'] })],
    return_review: [reason('退回意见（须补充调查的事项）', 'what to investigate further')],
    discuss: [
      { type: 'lines', name: 'participants', label: ['参加讨论的负责人（每行一人，至少两人）', 'heads present: one a line, at least two'], required: true },
      area('conclusion', '讨论结论', 'conclusion', { required: true })
    ],
    decide: [
      { type: 'penalty', name: 'penalty', label: ['处罚内容（不得重于告知的拟处罚）', 'penalty: no heavier than notified'], value: penaltyFromNotice },
      area('facts', '违法事实', 'facts', { required: true, value: function (env) { const r = facts(env).report; return r ? r.facts : ''; } }),
      text('payment_how', '罚款缴纳方式', 'how the fine is paid', { value: function (env) {
        const p = penaltyFromNotice(env);
        return p && p.fine_fen ? '到指定银行或者通过电子支付系统缴纳罚款' : '';
      }, hint: ['只写缴纳方式：缴纳期限（收到决定书之日起15日内，' + ZC.cite('payment') + '）由决定书载明。决定书随决定签发，文号由平台按执法主体、年度顺序编号',
        'the manner only: the decision states the 15-day period (Art. 67). The decision document is issued with the decision, numbered by the platform'] })
    ],
    not_penalise: [
      select('ground', '不予处罚的情形', 'ground', [
        ['first_violation', '初次违法且危害后果轻微并及时改正（首违不罚）', 'first violation'], ['minor', '违法行为轻微并及时改正，没有造成危害后果', 'minor'],
        ['no_fault', '当事人有证据足以证明没有主观过错', 'no fault'], ['not_established', '违法事实不能成立', 'not established'],
        ['under_14', '不满十四周岁', 'under 14'], ['mental', '精神病人、智力残疾人不能辨认或控制自己行为', 'mental'], ['limitation', '超过处罚时效', 'limitation']],
      { required: true }),
      area('education', '对当事人的教育（首违、轻微的必须记录）', 'education given (required for first or minor violations)'),
      reason('理由', 'reason')
    ],
    serve: [
      select('method', '送达方式', 'delivery method', deliveryMethods, { required: true, value: function () { return 'direct'; } })
    ].concat(served),
    pay: [
      money('amount_fen', '缴纳金额（元）', 'amount paid (yuan)', { required: true, value: function (env) {
        const f = facts(env);
        return (f.enforcement && f.enforcement.principal_fen) || (f.decision && f.decision.penalty && f.decision.penalty.fine_fen) || '';
      } }),
      money('surcharge_fen', '加处罚款（元）', 'late surcharge (yuan)'),
      text('receipt', '缴款凭证 / 财政电子票据号', 'receipt'),
      { type: 'checks', label: ['当场收缴（简易程序）', 'collected on the spot (summary procedure)'], kinds: ['penalty_summary'], items: [
        check('on_the_spot', '当场收缴', 'on the spot'), check('hard_to_collect', '事后难以执行', 'hard to collect later'), check('remote_area', '边远地区当事人提出', 'remote area')] }
    ],
    refer_enforcement: [reason('理由', 'reason', { value: function () { return '当事人逾期未缴纳罚款。'; } })],
    arrange_payment: [
      select('kind', '方式', 'arrangement', [['deferral', '暂缓缴纳', 'deferral'], ['instalments', '分期缴纳', 'instalments']],
        { required: true, value: function () { return 'instalments'; } }),
      date('applied_on', '当事人申请日', 'day the party applied', { required: true,
        hint: [ZC.cite('payment_plan') + '：确有经济困难，经当事人申请和行政机关批准', 'Art. 66 ¶2: on the party’s application, with approval'] }),
      area('reason', '经济困难情况', 'the economic difficulty', { required: true }),
      date('deferred_to', '暂缓至（暂缓缴纳）', 'deferred to (deferral)', { hint: ['须晚于原缴款期限', 'after the payment deadline'] }),
      { type: 'instalments', name: 'instalments', label: ['分期（每行一期：缴款日 金额元，如 2025-12-05 2000）', 'instalments: one a line, day and yuan'],
        hint: ['各期不早于原缴款期限、依次递增，合计等于罚款；未缴任何一期前可重新批准', 'each on or after the deadline, increasing, adding up to the fine; replaceable until a part is paid'] }
    ],
    record_remedy: [
      select('kind', '类别', 'kind', [['reconsideration', '行政复议', 'reconsideration'], ['litigation', '行政诉讼', 'litigation']], { required: true }),
      select('event', '事项', 'event', [['filed', '当事人提出（加处罚款暂停计算）', 'filed: the surcharge stops'], ['decided', '作出决定、判决', 'decided']], { required: true }),
      select('outcome', '结果（作出决定时）', 'outcome (when decided)', [['upheld', '维持', 'upheld'], ['changed', '变更', 'changed'], ['revoked', '撤销', 'revoked'], ['withdrawn', '撤回、撤诉', 'withdrawn']],
        { hint: ['变更、撤销的，由负责人另行“变更、撤销处罚决定”', 'a change or revocation is then carried out by revising the decision'] }),
      text('body', '复议机关 / 人民法院', 'authority or court'),
      text('ref', '案号', 'reference')
    ],
    revise_decision: [
      select('outcome', '变更或撤销', 'outcome', [['reduced', '变更（减少罚款）', 'reduce the fine'], ['revoked', '撤销处罚决定', 'revoke the decision']], { required: true }),
      money('fine_fen', '变更后的罚款（元）', 'new fine (yuan)', { hint: ['须低于现罚款；在线多缴的部分自动退还', 'below the current fine; what was paid online beyond it is refunded'] }),
      select('basis', '依据', 'basis', [['reconsideration', '行政复议决定', 'reconsideration'], ['litigation', '人民法院判决', 'court judgment'],
        ['self_correction', '行政机关自行纠正（' + ZC.cite('self_correction') + '）', 'own correction (Art. 75)']], { required: true }),
      text('ref', '复议决定书 / 判决书文号', 'number of the decision or judgment'),
      reason('理由', 'reason')
    ],
    close: [reason('结案说明', 'closing note', { value: function (env) {
      const f = facts(env);
      return f.payment ? '罚款已缴纳，案件办结。' : f.not_penalised ? '决定不予处罚，案件办结。' : '';
    } })],
    archive: [],
    decide_on_site: [
      officers('officer_ids', '现场执法人员（至少两名）', 'officers on site: at least two'),
      text('place', '处罚地点', 'where', { hint: ['当场处罚决定书载明（' + ZC.cite('on_the_spot') + '）；留空时记录定位', 'the on-the-spot decision states it (Art. 52); empty: the position'] }),
      { type: 'penalty', name: 'penalty', label: ['处罚（警告或小额罚款）', 'warning or a small fine'], types: ['warning', 'fine'] },
      area('facts', '违法事实', 'facts', { required: true }),
      text('payment_how', '罚款履行方式', 'how to pay'),
      check('notice_given', '已告知当事人拟处罚的事实、理由、依据，并听取陈述、申辩', 'the party was told and heard', { required: true })
    ],
    hand_over_cash: [],
    inspect: [
      officers('officer_ids', '检查人员（至少两名）', 'inspectors: at least two', { required: true }),
      area('record', '检查记录', 'record', { required: true, rows: 4 }),
      check('remote', '非现场检查', 'non-on-site')
    ],
    conclude: [
      select('outcome', '检查结论', 'outcome', [['no_issue', '未发现问题', 'no issue'], ['correction_ordered', '责令整改', 'correction ordered'],
        ['lead_opened', '发现违法，转为案源', 'open a penalty lead']], { required: true }),
      area('findings', '检查发现', 'findings', { required: true }),
      date('correct_by', '整改期限（责令整改时）', 'correct by (when ordered)'),
      text('violated', '违反的规定（责令整改时，默认为执法事项的依据）', 'provisions violated (when ordered; default: the matter’s articles)'),
      date('act_ended_on', '违法行为发生日（转为案源时）', 'day of the act (for a lead)')
    ],
    verify_correction: [check('corrected', '已按期整改', 'corrected'), area('findings', '复查情况', 'findings', { required: true })],
    approve: [reason('批准意见', 'approval', { value: function () { return '同意实施。'; } })],
    emergency_take: [
      officers('officer_ids', '执法人员（至少两名）', 'officers: at least two', { required: true }),
      area('record', '现场笔录', 'record', { required: true }), area('items', '查封、扣押的物品', 'items'),
      number('term_days', '期限（日，不超过30日）', 'term in days (at most 30)')
    ],
    approve_emergency: [reason('补办批准意见', 'approval', { hint: ['须在当场实施后24小时内（' + ZC.cite('emergency') + '）', 'within 24 hours (Art. 19)'] })],
    take: [
      officers('officer_ids', '执法人员（至少两名）', 'officers: at least two', { required: true }),
      area('record', '现场笔录', 'record', { required: true }), area('items', '查封、扣押的物品清单', 'list of things'),
      number('term_days', '期限（日，不超过30日）', 'term in days (at most 30)')
    ],
    extend_term: [number('days', '延长天数（不超过30日，仅一次）', 'days (at most 30, once)', { required: true }), reason('延长理由', 'reason')],
    handle: [
      select('handling', '处理决定', 'handling', [['confiscate', '没收', 'confiscate'], ['destroy', '销毁', 'destroy'], ['return', '解除并退还', 'return'], ['transfer', '移送', 'transfer']], { required: true }),
      reason('理由', 'reason')
    ],
    release: [reason('解除理由', 'reason')],
    demand: [date('perform_by', '履行期限', 'perform by', { required: true }), select('method', '送达方式', 'delivery method', deliveryMethods, { required: true, value: function () { return 'direct'; } })],
    assess_surcharge: [money('amount_fen', '加处罚款金额（元，留空按每日3%自动计算）', 'amount (yuan; empty: 3% a day, computed)')],
    execute: [
      area('means', '执行方式', 'means', { required: true }),
      officers('officer_ids', '执行人员', 'officers', { required: true }),
      check('emergency', '情况紧急（可在夜间或法定节假日实施）', 'emergency (night or holiday allowed)')
    ],
    apply_court: [text('court', '受理法院', 'court', { required: true, value: function (env) { return env.setting ? env.setting('cases.court') : ''; },
      hint: ['默认取设置“cases.court”', 'default: the cases.court setting'] })],
    record_ruling: [select('ruling', '法院裁定', 'ruling', [['enforced', '准予执行', 'enforced'], ['refused', '不予执行', 'refused']], { required: true }),
      area('summary', '裁定要点', 'summary', { required: true })],
    flag: [
      { type: 'checks', label: ['案件特征', 'the case is'], items: [
        check('major', '重大案件', 'major', { bool: true, value: function (env) { return (facts(env).flags || {}).major; } }),
        check('complex', '情节复杂', 'complex', { bool: true, value: function (env) { return (facts(env).flags || {}).complex; } }),
        check('review_required', '法律规定须法制审核', 'legal review required', { bool: true, value: function (env) { return (facts(env).flags || {}).review_required; } })] },
      reason('理由', 'reason')
    ],
    extend: [number('days', '延长天数', 'days', { required: true }), reason('延长理由（须经负责人批准）', 'reason')],
    exclude_period: [
      select('kind', '期间种类', 'kind', [['testing', '检测、检验', 'testing'], ['appraisal', '技术鉴定', 'appraisal'], ['quarantine', '检疫', 'quarantine'], ['public_notice', '公告', 'public notice']], { required: true }),
      date('from', '起', 'from', { required: true }), date('to', '止', 'to', { required: true }), reason('说明', 'reason')
    ],
    recuse: [
      { type: 'officer', name: 'officer_id', label: ['回避的执法人员', 'officer withdrawing'], required: true, only: team },
      select('applied_by', '提出方', 'applied by', [['officer', '执法人员自行回避', 'the officer'], ['party', '当事人申请', 'the party']], { required: true }),
      reason('回避理由', 'reason'),
      check('granted', '决定回避', 'granted'),
      officers('replacement', '替换人员', 'replacement', { value: function () { return []; } })
    ],
    // The grounds by kind (halt.go): 行政强制法 Art. 39 and 40 govern only the enforcement of a
    // decision; a penalty case records its ground with no citation.
    suspend: [
      select('ground', '中止情形', 'ground', [['party_missing', '当事人下落不明', 'the party cannot be found'],
        ['awaiting_other', '须以其他案件结果或有关机关认定为依据', 'awaiting another case or an authority’s finding'],
        ['force_majeure', '不可抗力', 'force majeure'], ['other', '其他（在理由中写明）', 'other (state it)']], { required: true, kinds: ['penalty_general'] }),
      select('ground', '中止执行情形（' + ZC.cite('suspension') + '）', 'ground (Art. 39)', [['cannot_perform', '（一）当事人履行确有困难或暂无履行能力', '(1) unable to perform'],
        ['third_party_claim', '（二）第三人对执行标的主张权利，确有理由', '(2) a third party’s claim'],
        ['irreparable_loss', '（三）执行可能造成难以弥补的损失，且中止不损害公共利益', '(3) irreparable loss'],
        ['other', '（四）其他需要中止执行的情形', '(4) other']], { required: true, kinds: ['enforcement'] }),
      reason('中止理由', 'reason')],
    resume: [reason('恢复理由', 'reason')],
    terminate: [
      select('ground', '终止情形', 'ground', [['party_died', '当事人（自然人）死亡', 'the party died'],
        ['party_dissolved', '当事人（单位）终止，无权利义务承受人', 'the organisation ended with no successor'],
        ['other', '其他（在理由中写明）', 'other (state it)']], { required: true, kinds: ['penalty_general'] }),
      select('ground', '终结执行情形（' + ZC.cite('termination') + '）', 'ground (Art. 40)', [['person_died', '（一）公民死亡，无遗产可供执行，又无义务承受人', '(1) the person died'],
        ['org_ended', '（二）法人或其他组织终止，无财产可供执行，又无义务承受人', '(2) the organisation ended'],
        ['object_lost', '（三）执行标的灭失', '(3) the object is lost'], ['decision_revoked', '（四）据以执行的行政决定被撤销', '(4) the decision was revoked'],
        ['other', '（五）其他需要终结执行的情形', '(5) other']], { required: true, kinds: ['enforcement'] }),
      reason('终止理由', 'reason')],
    transfer: [
      select('target', '移送对象', 'target', [['body', '其他执法主体', 'another body'], ['tier', '上级或下级机关', 'another tier'], ['criminal', '司法机关（行刑衔接）', 'criminal justice']], { required: true }),
      text('to', '接收机关', 'receiving authority', { required: true }),
      reason('移送理由', 'reason')
    ]
  };

  // The request schema of action, from the OpenAPI document.
  F.schemaOf = function (openapi, action) {
    if (!openapi) return null;
    const path = (openapi.paths || {})['/cases/{id}/actions/' + action];
    const s = path && path.post && path.post.requestBody && path.post.requestBody.content &&
      path.post.requestBody.content['application/json'] && path.post.requestBody.content['application/json'].schema;
    if (!s) return null;
    if (s.$ref) {
      const name = s.$ref.split('/').pop();
      return { name, schema: (openapi.components.schemas || {})[name] || {} };
    }
    return { name: '', schema: s };
  };

  const common = ['on', 'at', 'location', 'note', 'paper'];

  // generic builds the fields of a step no form is written for, from its schema.
  F.generic = function (schema) {
    const out = [];
    for (const [k, p] of Object.entries((schema && schema.properties) || {})) {
      if (common.includes(k)) continue;
      if (p.type === 'boolean') out.push(check(k, k, ''));
      else if (p.type === 'integer' || p.type === 'number') out.push(number(k, k, ''));
      else if (p.type === 'array' && p.items && p.items.type === 'string') out.push({ type: 'lines', name: k, label: [k + '（每行一项）', 'one a line'] });
      else if (p.type === 'object') out.push({ type: 'jsonfield', name: k, label: [k + '（JSON）', ''] });
      else out.push(text(k, k, ''));
    }
    out.push({ type: 'raw', label: ['原始 JSON 请求体（填写后以此为准）', 'raw JSON body: when given, it is sent as the body'] });
    return out;
  };

  // build returns the form of action for the case in env: {detail, officers, benchmarks(), openapi}.
  F.build = function (action, env) {
    let spec = F.specs[action];
    let generic = false;
    if (!spec) {
      const s = F.schemaOf(env.openapi, action);
      spec = F.generic(s && s.schema);
      generic = true;
    }
    const form = Z.el('form', { class: 'form action-form', id: 'action-form-' + action, 'data-action': action, novalidate: true });
    form.append(Z.el('p', { class: 'form-error', role: 'alert', hidden: true }));
    const ctl = { form, fields: [], env, action };
    for (const f of spec) {
      if (f.kinds && !f.kinds.includes(env.detail.kind)) continue;
      if (!f.method) { render(ctl, f, form); continue; }
      // a field of some methods of service: shown, and sent, only with them
      const box = Z.el('div', { class: 'by-method', 'data-method': f.method.join(' ') });
      const from = ctl.fields.length;
      render(ctl, f, box);
      for (let i = from; i < ctl.fields.length; i++) ctl.fields[i].box = box;
      form.append(box);
    }
    const method = form.querySelector('select[name="method"]');
    if (method) {
      const show = function () {
        for (const b of form.querySelectorAll('.by-method')) b.hidden = !b.dataset.method.split(' ').includes(method.value);
      };
      method.addEventListener('change', show);
      show();
    }
    if (!spec.length) form.append(Z.el('p', { class: 'hint', text: '此步骤无需填写内容，可在下方记录日期和备注。' }, Z.el('span', { lang: 'en', text: ' Nothing to fill in: a day and a note may be added below.' })));
    // The common fields: the day, a note, and the paper backfill.
    const more = Z.el('details', { class: 'more' }, Z.el('summary', {}, '日期、备注、纸质补录 ', Z.el('span', { class: 'en', lang: 'en', text: 'Day, note, paper backfill' })));
    render(ctl, date('on', '办理日期（默认今天；补记往日步骤时填写）', 'day it happened (default today)', { max: today() }), more);
    render(ctl, area('note', '备注', 'note', { rows: 2 }), more);
    const paper = check('paper_on', '纸质办理，事后补录', 'handled on paper, entered now');
    render(ctl, paper, more);
    const paperBox = Z.el('div', { class: 'paper-box', hidden: true });
    render(ctl, date('paper.obstacle_ended_on', '障碍消除之日（补录期限自此起算）', 'day the obstacle ended (the backfill period counts from it)'), paperBox);
    render(ctl, text('paper.reason', '纸质办理原因', 'why on paper', { placeholder: '如：网络中断 / network down' }), paperBox);
    more.append(paperBox);
    form.append(more);
    const paperInput = form.querySelector('[name="paper_on"]');
    paperInput.addEventListener('change', function () { paperBox.hidden = !paperInput.checked; if (paperInput.checked) more.open = true; });
    if (ZC.fieldActions.includes(action)) form.append(Z.el('p', { class: 'hint geo-status', 'data-geo': 'pending' }, '位置 Location：', Z.el('span', { class: 'geo-text' })));
    form.append(Z.el('div', { class: 'actions' },
      Z.el('button', { type: 'submit', class: 'button' }, '提交 ', Z.el('span', { class: 'en', lang: 'en', text: 'Submit' })),
      Z.el('button', { type: 'button', class: 'button-secondary cancel' }, '取消 ', Z.el('span', { class: 'en', lang: 'en', text: 'Cancel' }))));
    form.collect = function () { return collect(ctl, generic); };
    return form;
  };

  const idOf = function (ctl, name) { return 'a-' + ctl.action + '-' + name.replace(/[^a-z0-9_]/gi, '-'); };

  function fieldBox(ctl, f, input, extra) {
    const id = input.id;
    const box = Z.el('div', { class: 'field', 'data-field': f.name || '' });
    box.append(Z.el('label', { for: id }, f.label[0], f.required ? ' *' : '', f.label[1] ? ' ' : '', f.label[1] ? Z.el('span', { class: 'en', lang: 'en', text: f.label[1] }) : null));
    box.append(input);
    if (extra) box.append(extra);
    if (f.hint) box.append(Z.el('p', { class: 'hint' }, f.hint[0], ' ', Z.el('span', { lang: 'en', text: f.hint[1] })));
    box.append(Z.el('p', { class: 'field-error', hidden: true }));
    return box;
  }

  function initial(ctl, f) {
    const v = typeof f.value === 'function' ? f.value(ctl.env) : f.value;
    return v === undefined || v === null ? '' : v;
  }

  function officerLabel(o) {
    const valid = ZC.certValid(o, today());
    return Z.el('span', {}, Z.el('span', { class: 'name', text: o.name }), ' ',
      Z.el('span', { class: 'cert' + (valid ? '' : ' invalid'), text: (o.certificate && o.certificate.number ? o.certificate.number : '无执法证') + (valid ? '' : '（证件今日无效）') }));
  }

  // render adds the control of field f to parent and registers how to read it.
  function render(ctl, f, parent) {
    const env = ctl.env;
    const id = f.name ? idOf(ctl, f.name) : '';
    switch (f.type) {
      case 'text': case 'date': case 'number': case 'money': {
        const type = f.type === 'money' ? 'text' : f.type;
        const v = initial(ctl, f);
        const input = Z.el('input', { id, name: f.name, type, placeholder: f.placeholder, max: f.max,
          inputmode: f.type === 'money' ? 'decimal' : f.type === 'number' ? 'numeric' : undefined,
          value: f.type === 'money' ? ZC.fenToYuan(v) : v, required: !!f.required, autocomplete: 'off' });
        parent.append(fieldBox(ctl, f, input));
        ctl.fields.push({ f, read: function () {
          const s = input.value.trim();
          if (f.type === 'money') return ZC.toFen(s);
          if (f.type === 'number') return s === '' ? null : Number(s);
          return s;
        } });
        return;
      }
      case 'textarea': {
        const input = Z.el('textarea', { id, name: f.name, rows: f.rows || 3, required: !!f.required }, String(initial(ctl, f)));
        parent.append(fieldBox(ctl, f, input));
        ctl.fields.push({ f, read: function () { return input.value.trim(); } });
        return;
      }
      case 'check': {
        const input = Z.el('input', { id, name: f.name, type: 'checkbox', checked: !!initial(ctl, f) });
        const box = Z.el('div', { class: 'field', 'data-field': f.name }, Z.el('label', { class: 'check', for: id }, input, f.label[0], ' ',
          f.label[1] ? Z.el('span', { class: 'en', lang: 'en', text: f.label[1] }) : null));
        if (f.hint) box.append(Z.el('p', { class: 'hint' }, f.hint[0], ' ', Z.el('span', { lang: 'en', text: f.hint[1] })));
        box.append(Z.el('p', { class: 'field-error', hidden: true }));
        parent.append(box);
        if (f.name !== 'paper_on') ctl.fields.push({ f, read: function () { return f.bool ? input.checked : (input.checked || null); } });
        return;
      }
      case 'checks': {
        const box = Z.el('div', { class: 'field' }, Z.el('span', { class: 'label' }, f.label[0], ' ', Z.el('span', { class: 'en', lang: 'en', text: f.label[1] })));
        const row = Z.el('div', { class: 'checks' });
        box.append(row);
        parent.append(box);
        for (const it of f.items) render(ctl, it, row);
        return;
      }
      case 'select': {
        const sel = Z.el('select', { id, name: f.name, required: !!f.required });
        const v = initial(ctl, f);
        if (!f.required || !v) sel.append(Z.el('option', { value: '', text: '请选择 choose…' }));
        for (const o of f.options) sel.append(Z.el('option', { value: o[0], text: o[1] + (o[2] ? ' ' + o[2] : ''), selected: o[0] === v }));
        parent.append(fieldBox(ctl, f, sel));
        ctl.fields.push({ f, read: function () { return sel.value; } });
        return;
      }
      case 'officers': {
        const chosen = initial(ctl, f) || [];
        const ul = Z.el('ul', { class: 'officer-picks', id });
        for (const o of env.officers) {
          ul.append(Z.el('li', {}, Z.el('label', {}, Z.el('input', { type: 'checkbox', name: f.name, value: o.id, checked: chosen.includes(o.id) }), officerLabel(o))));
        }
        if (!env.officers.length) ul.append(Z.el('li', { class: 'muted', text: '本主体没有登记执法人员 / no officers registered' }));
        const box = Z.el('div', { class: 'field', 'data-field': f.name }, Z.el('span', { class: 'label' }, f.label[0], f.required ? ' *' : '', ' ', Z.el('span', { class: 'en', lang: 'en', text: f.label[1] })), ul);
        if (f.hint) box.append(Z.el('p', { class: 'hint' }, f.hint[0], ' ', Z.el('span', { lang: 'en', text: f.hint[1] })));
        box.append(Z.el('p', { class: 'field-error', hidden: true }));
        parent.append(box);
        ctl.fields.push({ f, read: function () { return [...ul.querySelectorAll('input:checked')].map(function (i) { return i.value; }); } });
        return;
      }
      case 'officer': {
        const sel = Z.el('select', { id, name: f.name, required: !!f.required }, Z.el('option', { value: '', text: '请选择 choose…' }));
        const ex = typeof f.exclude === 'function' ? f.exclude(env) : [];
        const only = typeof f.only === 'function' ? f.only(env) : null;
        for (const o of env.officers) {
          if (ex.includes(o.id) || (only && !only.includes(o.id))) continue;
          sel.append(Z.el('option', { value: o.id, text: o.name + ' ' + ((o.certificate || {}).number || '') }));
        }
        parent.append(fieldBox(ctl, f, sel));
        ctl.fields.push({ f, read: function () { return sel.value; } });
        return;
      }
      case 'instalments': {
        // one instalment a line: its day and the amount in yuan
        const input = Z.el('textarea', { id, name: f.name, rows: 3, placeholder: '2025-12-05 2000\n2026-01-05 3000' });
        parent.append(fieldBox(ctl, f, input));
        ctl.fields.push({ f, read: function () {
          return input.value.split('\n').map(function (s) { return s.trim(); }).filter(Boolean).map(function (line) {
            const parts = line.split(/[\s,，]+/);
            return { due_on: parts[0] || '', amount_fen: ZC.toFen(parts[1] || '') };
          });
        } });
        return;
      }
      case 'lines': {
        const input = Z.el('textarea', { id, name: f.name, rows: 3 });
        parent.append(fieldBox(ctl, f, input));
        ctl.fields.push({ f, read: function () { return input.value.split('\n').map(function (s) { return s.trim(); }).filter(Boolean); } });
        return;
      }
      case 'jsonfield': {
        const input = Z.el('textarea', { id, name: f.name, rows: 3, class: 'json-body', spellcheck: 'false' });
        parent.append(fieldBox(ctl, f, input));
        ctl.fields.push({ f, read: function () {
          if (!input.value.trim()) return null;
          try { return JSON.parse(input.value); } catch (e) { return { __bad: 'JSON' }; }
        } });
        return;
      }
      case 'raw': {
        const input = Z.el('textarea', { id: idOf(ctl, 'raw'), name: 'raw', rows: 5, class: 'json-body', spellcheck: 'false', placeholder: '{ }' });
        const box = fieldBox(ctl, Object.assign({ name: 'body' }, f), input);
        parent.append(Z.el('details', { class: 'more' }, Z.el('summary', {}, 'JSON'), box));
        ctl.raw = input;
        return;
      }
      case 'evidence': case 'evidences': {
        // the case's evidence of the kinds the document may be; one (a select) or several (checks)
        const list = ((env.detail && env.detail.evidence) || []).filter(function (e) { return !f.evKinds || f.evKinds.includes(e.kind); });
        const label = function (e) { return e.title + ' · ' + ZC.name(ZC.evidenceKinds, e.kind) + ' · ' + e.collected_on; };
        if (f.type === 'evidence') {
          const sel = Z.el('select', { id, name: f.name, required: !!f.required }, Z.el('option', { value: '', text: list.length ? '请选择 choose…' : '尚无可选材料 nothing uploaded yet' }));
          for (const e of list) sel.append(Z.el('option', { value: e.id, text: label(e) }));
          if (list.length === 1) sel.value = list[0].id;
          parent.append(fieldBox(ctl, f, sel));
          ctl.fields.push({ f, read: function () { return sel.value; } });
          return;
        }
        const ul = Z.el('ul', { class: 'officer-picks', id });
        for (const e of list) ul.append(Z.el('li', {}, Z.el('label', {}, Z.el('input', { type: 'checkbox', name: f.name, value: e.id }), Z.el('span', { text: label(e) }))));
        if (!list.length) ul.append(Z.el('li', { class: 'muted', text: '尚无影像 no images uploaded yet' }));
        parent.append(fieldBox(ctl, f, ul));
        ctl.fields.push({ f, read: function () { return [...ul.querySelectorAll('input:checked')].map(function (i) { return i.value; }); } });
        return;
      }
      case 'attempts': {
        // one failed attempt a line: its day, the method and what happened
        const input = Z.el('textarea', { id, name: f.name, rows: 2, placeholder: '2025-09-19 post 邮件退回：查无此人' });
        parent.append(fieldBox(ctl, f, input));
        ctl.fields.push({ f, read: function () {
          return input.value.split('\n').map(function (s) { return s.trim(); }).filter(Boolean).map(function (line) {
            const parts = line.split(/[\s,，]+/);
            return { on: parts[0] || '', method: parts[1] || '', result: parts.slice(2).join(' ') };
          });
        } });
        return;
      }
      case 'penalty': return renderPenalty(ctl, f, parent);
      case 'benchmark': return renderBenchmark(ctl, f, parent);
    }
  }

  // renderPenalty renders a penalty: its kinds, the fine and the confiscated value in yuan, and its
  // legal basis.
  function renderPenalty(ctl, f, parent) {
    const v = initial(ctl, f) || { types: ['fine'], fine_fen: 0, confiscation_fen: 0, basis: '' };
    const fs = Z.el('fieldset', { class: 'penalty' }, Z.el('legend', {}, f.label[0], ' ', Z.el('span', { class: 'en', lang: 'en', text: f.label[1] })));
    const types = Z.el('div', { class: 'checks' });
    const allowed = f.types || Object.keys(ZC.penaltyTypes);
    for (const t of allowed) {
      types.append(Z.el('label', { class: 'check' }, Z.el('input', { type: 'checkbox', name: f.name + '.types', value: t, checked: (v.types || []).includes(t) }),
        ZC.name(ZC.penaltyTypes, t)));
    }
    fs.append(Z.el('div', { class: 'field', 'data-field': f.name + '.types' }, Z.el('span', { class: 'label' }, '处罚种类 ', Z.el('span', { class: 'en', lang: 'en', text: 'kinds' })), types,
      Z.el('p', { class: 'field-error', hidden: true })));
    const fine = Z.el('input', { id: idOf(ctl, f.name + '.fine_fen'), name: f.name + '.fine_fen', type: 'text', inputmode: 'decimal', value: ZC.fenToYuan(v.fine_fen), autocomplete: 'off' });
    const conf = Z.el('input', { id: idOf(ctl, f.name + '.confiscation_fen'), name: f.name + '.confiscation_fen', type: 'text', inputmode: 'decimal', value: ZC.fenToYuan(v.confiscation_fen), autocomplete: 'off' });
    // a basis outside the law database is written out; one chosen from it is cited by the platform
    const written = (v.provisions && v.provisions.length) ? '' : (v.basis || '');
    const basis = Z.el('input', { id: idOf(ctl, f.name + '.basis'), name: f.name + '.basis', type: 'text', value: written, autocomplete: 'off', placeholder: '法规库中没有该条款时写明全文 only when the law database lacks it' });
    const row = Z.el('div', { class: 'field-row' });
    row.append(fieldBox(ctl, { name: f.name + '.fine_fen', label: ['罚款（元）', 'fine (yuan)'] }, fine));
    if (!f.types) row.append(fieldBox(ctl, { name: f.name + '.confiscation_fen', label: ['没收金额（元）', 'confiscated (yuan)'] }, conf));
    const matter = ctl.env.matter ? ctl.env.matter.provisions || [] : [];
    const byRole = function (role) { return matter.filter(function (p) { return p.role === role; }); };
    const violated = renderProvisions(ctl, f.name + '.violated', ['违反的规定（违法依据）', 'provisions violated'], v.violated && v.violated.length ? v.violated : byRole('violated'));
    const provisions = renderProvisions(ctl, f.name + '.provisions', ['处罚依据', 'provisions the penalty rests on'], v.provisions && v.provisions.length ? v.provisions : byRole('penalty'));
    fs.append(row, violated.box, provisions.box, fieldBox(ctl, { name: f.name + '.basis', label: ['处罚依据（文字）', 'basis written out'],
      hint: ['从法规库选择条款时留空', 'leave empty when the provisions are chosen above'] }, basis));
    parent.append(fs);
    ctl.penaltyFine = fine;
    ctl.fields.push({ f: { name: f.name }, read: function () {
      const out = { types: [...types.querySelectorAll('input:checked')].map(function (i) { return i.value; }),
        fine_fen: ZC.toFen(fine.value), confiscation_fen: ZC.toFen(conf.value), basis: basis.value.trim(),
        violated: violated.read(), provisions: provisions.read() };
      if (!out.violated.length) delete out.violated;
      if (!out.provisions.length) delete out.provisions;
      return out;
    } });
  }

  // renderProvisions is a list of provisions chosen from the law database (a law, one of its
  // articles, and the paragraph and item where the citation goes down to them), pre-filled with
  // initial; read returns them as the API takes them.
  function renderProvisions(ctl, name, label, initial) {
    const env = ctl.env;
    const list = Z.el('ul', { class: 'provisions' });
    const chosen = [];
    function cite(p) {
      return (p.law ? '《' + p.law + '》' : '') + (p.number || '') + (p.paragraph ? '第' + ZC.cnNum(p.paragraph) + '款' : '') + (p.item ? '第（' + ZC.cnNum(p.item) + '）项' : '');
    }
    function add(p) {
      const entry = { article_id: p.article_id, paragraph: p.paragraph || 0, item: p.item || 0 };
      chosen.push(entry);
      const text = Z.el('span', { class: 'cite', text: cite(p) || '…' });
      const remove = Z.el('button', { type: 'button', class: 'link', text: '移除 remove' });
      const li = Z.el('li', {}, text, ' ', remove);
      remove.addEventListener('click', function () { chosen.splice(chosen.indexOf(entry), 1); li.remove(); });
      list.append(li);
      if (!p.law) env.article(p.article_id).then(function (a) { if (a) text.textContent = cite(Object.assign({}, p, a)); });
    }
    for (const p of initial || []) add(p);
    const law = Z.el('select', { id: idOf(ctl, name + '.law'), 'aria-label': '法律法规 law' }, Z.el('option', { value: '', text: '法律法规 law…' }));
    const art = Z.el('select', { id: idOf(ctl, name + '.article'), 'aria-label': '条 article' }, Z.el('option', { value: '', text: '条 article…' }));
    const para = Z.el('input', { id: idOf(ctl, name + '.paragraph'), type: 'number', min: '0', max: '99', inputmode: 'numeric', 'aria-label': '款 paragraph', placeholder: '款' });
    const item = Z.el('input', { id: idOf(ctl, name + '.item'), type: 'number', min: '0', max: '99', inputmode: 'numeric', 'aria-label': '项 item', placeholder: '项' });
    const addBtn = Z.el('button', { type: 'button', class: 'secondary', text: '添加 add' });
    env.laws().then(function (ls) { for (const l of ls) law.append(Z.el('option', { value: l.id, text: l.name })); });
    law.addEventListener('change', async function () {
      art.length = 1;
      for (const a of law.value ? await env.articles(law.value) : []) art.append(Z.el('option', { value: a.id, text: a.number }));
    });
    addBtn.addEventListener('click', function () {
      if (!art.value) return;
      add({ article_id: art.value, law: law.options[law.selectedIndex].text, number: art.options[art.selectedIndex].text,
        paragraph: Number(para.value) || 0, item: Number(item.value) || 0 });
      para.value = item.value = '';
    });
    const picker = Z.el('div', { class: 'provision-picker' }, law, art, para, item, addBtn);
    const box = Z.el('div', { class: 'field', 'data-field': name },
      Z.el('span', { class: 'label' }, label[0], ' ', Z.el('span', { class: 'en', lang: 'en', text: label[1] })), list, picker,
      Z.el('p', { class: 'field-error', hidden: true }));
    return { box: box, read: function () { return chosen.slice(); } };
  }

  // renderBenchmark picks the discretion benchmark and its circumstance, showing each range, and
  // says at once whether the fine is inside it.
  function renderBenchmark(ctl, f, parent) {
    const env = ctl.env;
    const sel = Z.el('select', { id: idOf(ctl, 'benchmark_id'), name: 'benchmark_id' }, Z.el('option', { value: '', text: '不适用裁量基准 none' }));
    const circ = Z.el('select', { id: idOf(ctl, 'circumstance'), name: 'circumstance' }, Z.el('option', { value: '', text: '请选择情节 choose…' }));
    const range = Z.el('p', { class: 'range', 'aria-live': 'polite' });
    const fs = Z.el('fieldset', { class: 'benchmark' }, Z.el('legend', {}, f.label[0], ' ', Z.el('span', { class: 'en', lang: 'en', text: f.label[1] })),
      fieldBox(ctl, { name: 'benchmark_id', label: ['裁量基准', 'benchmark'], hint: ['适用时锁定当日生效的版本', 'the version in force is pinned on the case'] }, sel),
      fieldBox(ctl, { name: 'circumstance', label: ['违法情节', 'circumstance'] }, circ, range));
    parent.append(fs);
    let items = [];
    function check() {
      const it = items.find(function (x) { return x.circumstance === circ.value; });
      const fen = ctl.penaltyFine ? ZC.toFen(ctl.penaltyFine.value) : null;
      range.textContent = '';
      range.className = 'range';
      if (!sel.value) {
        if (fen) { range.textContent = '未适用裁量基准的罚款须说明理由 / a fine with no benchmark needs a reason'; range.className = 'range out'; }
        return;
      }
      if (!it) return;
      const inside = fen === null || Number.isNaN(fen) || (fen >= it.min_fine_fen && fen <= it.max_fine_fen);
      range.textContent = '幅度 range ' + ZC.yuan(it.min_fine_fen) + ' – ' + ZC.yuan(it.max_fine_fen) + '：' +
        (inside ? '在幅度内 within the range' : '超出幅度，须说明理由 outside the range: give the reason');
      range.className = 'range ' + (inside ? 'ok' : 'out');
    }
    async function pick() {
      circ.length = 1;
      items = [];
      if (sel.value) {
        const v = await env.benchmarkVersion(sel.value);
        items = (v && v.items) || [];
        if (v) sel.dataset.version = String(v.version);
        for (const it of items) {
          circ.append(Z.el('option', { value: it.circumstance, text: it.circumstance + '：' + ZC.yuan(it.min_fine_fen) + '–' + ZC.yuan(it.max_fine_fen) +
            (it.description ? '（' + it.description + '）' : '') }));
        }
      }
      check();
    }
    sel.addEventListener('change', pick);
    circ.addEventListener('change', check);
    if (ctl.penaltyFine) ctl.penaltyFine.addEventListener('input', check);
    env.benchmarks().then(function (list) {
      for (const b of list) sel.append(Z.el('option', { value: b.id, text: b.title }));
      if (list.length === 1) { sel.value = list[0].id; pick(); } else check();
    });
    ctl.fields.push({ f: { name: 'benchmark_id' }, read: function () { return sel.value; } });
    ctl.fields.push({ f: { name: 'circumstance' }, read: function () { return sel.value ? circ.value : ''; } });
  }

  function setPath(obj, path, v) {
    const parts = path.split('.');
    let o = obj;
    for (let i = 0; i < parts.length - 1; i++) { o[parts[i]] = o[parts[i]] || {}; o = o[parts[i]]; }
    o[parts[parts.length - 1]] = v;
  }

  // collect reads the form into the step's body, leaving out what was left empty; bad lists the
  // fields that cannot be sent as typed (a malformed amount or JSON).
  function collect(ctl, generic) {
    let body = {};
    const bad = [];
    const badMoney = { zh: '金额格式有误（元，最多两位小数）', en: 'an amount in yuan, at most two decimals' };
    for (const { f, read, box } of ctl.fields) {
      if (box && box.hidden) continue;
      let v = read();
      if (f.name === 'penalty' || (v && typeof v === 'object' && 'types' in v && 'basis' in v)) {
        if (!v.basis) delete v.basis;
        for (const k of ['fine_fen', 'confiscation_fen']) {
          if (Number.isNaN(v[k])) bad.push({ field: f.name + '.' + k, message: badMoney });
          if (!v[k]) delete v[k];
        }
      }
      if (f.type === 'money' && Number.isNaN(v)) { bad.push({ field: f.name, message: badMoney }); continue; }
      if (f.type === 'instalments' && v.some(function (x) { return Number.isNaN(x.amount_fen); })) { bad.push({ field: f.name, message: badMoney }); continue; }
      if (v && v.__bad) { bad.push({ field: f.name, message: { zh: 'JSON 格式有误', en: 'malformed JSON' } }); continue; }
      if (v === null || v === '' || (Array.isArray(v) && !v.length && !f.keepEmpty)) continue;
      setPath(body, f.name, v);
    }
    const paper = ctl.form.querySelector('[name="paper_on"]');
    if (!paper.checked) delete body.paper;
    if (generic && ctl.raw && ctl.raw.value.trim()) {
      try {
        const raw = JSON.parse(ctl.raw.value);
        const keep = {};
        for (const k of common) if (body[k] !== undefined) keep[k] = body[k];
        body = Object.assign(raw, keep);
      } catch (e) {
        bad.push({ field: 'body', message: { zh: 'JSON 格式有误：' + e.message, en: 'malformed JSON' } });
      }
    }
    return { body, bad };
  }
}());
