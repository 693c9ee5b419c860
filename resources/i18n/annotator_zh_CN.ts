<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <source>Item</source>
        <translation>条目</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Spread</source>
        <translation>分差</translation>
    </message>
    <message>
        <source>Dimensions</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>Adjudicated</source>
        <translation>已裁定</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>Show adjudicated</source>
        <translation>显示已裁定</translation>
    </message>
    <message>
        <source>Choose an item on the left</source>
        <translation>请在左侧选择一个条目</translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation>指令</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <source>Generated</source>
        <translation>模型输出</translation>
    </message>
    <message>
        <source>Why (kept in the audit log)</source>
        <translation>裁定理由（记入审计日志）</translation>
    </message>
    <message>
        <source>Record adjudicated score</source>
        <translation>记录裁定分数</translation>
    </message>
    <message>
        <source>Dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>Score (1-5)</source>
        <translation>分数（1-5）</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>The lead&apos;s score</source>
        <translation>负责人打分</translation>
    </message>
    <message>
        <source>All dimensions</source>
        <translation>全部维度</translation>
    </message>
    <message>
        <source>{shown} shown · {open} not adjudicated of {total}</source>
        <translation>显示 {shown} 条 · 共 {total} 条，{open} 条未裁定</translation>
    </message>
    <message>
        <source>Item {id} · {model} · sample {sample}</source>
        <translation>条目 {id} · {model} · 样本 {sample}</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>评语</translation>
    </message>
    <message>
        <source>Krippendorff&apos;s alpha per dimension</source>
        <translation>各维度 Krippendorff α</translation>
    </message>
    <message>
        <source>Pairwise weighted kappa:</source>
        <translation>两两加权 kappa：</translation>
    </message>
    <message>
        <source>Exact and within-one agreement over rater pairs</source>
        <translation>评分人两两之间的完全一致率与相差≤1分比例</translation>
    </message>
    <message>
        <source>all dimensions</source>
        <translation>全部维度</translation>
    </message>
    <message>
        <source>alpha ({level})</source>
        <translation>α（{level}）</translation>
    </message>
    <message>
        <source>95% CI</source>
        <translation>95% 置信区间</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>解读</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>单元数</translation>
    </message>
    <message>
        <source>Needs action</source>
        <translation>需处理</translation>
    </message>
    <message>
        <source>Krippendorff&apos;s alpha, {level} level, over {units} items with 2+ ratings ({values} pairable values) from {raters} raters; bootstrap CI with {resamples} resamples</source>
        <translation>Krippendorff α（{level} 尺度）：{raters} 位评分人，{units} 个至少有 2 个评分的条目（共 {values} 个可配对值）；bootstrap 置信区间，重抽样 {resamples} 次</translation>
    </message>
    <message>
        <source>see {n} items →</source>
        <translation>查看 {n} 个条目 →</translation>
    </message>
    <message>
        <source>click: the disagreements behind this reading</source>
        <translation>点击查看导致这一结果的分歧</translation>
    </message>
    <message>
        <source>weighted kappa over {n} shared ratings; exact {e}, within one {w}</source>
        <translation>基于 {n} 个共同评分的加权 kappa；完全一致 {e}，相差≤1分 {w}</translation>
    </message>
    <message>
        <source>Pairs</source>
        <translation>配对数</translation>
    </message>
    <message>
        <source>Exact</source>
        <translation>完全一致</translation>
    </message>
    <message>
        <source>Within one</source>
        <translation>相差≤1分</translation>
    </message>
    <message>
        <source>Mean score per dimension</source>
        <translation>各维度平均分</translation>
    </message>
    <message>
        <source>Score distribution (all dimensions)</source>
        <translation>分数分布（全部维度）</translation>
    </message>
    <message>
        <source>{metric} vs human composite</source>
        <translation>{metric} 与人工综合分对比</translation>
    </message>
    <message>
        <source>composite</source>
        <translation>综合分</translation>
    </message>
    <message>
        <source>surface match ↘</source>
        <translation>形似神不似 ↘</translation>
    </message>
    <message>
        <source>↖ narrow reference</source>
        <translation>↖ 参考答案过窄</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>不通过</translation>
    </message>
    <message>
        <source>REVIEW</source>
        <translation>待复核</translation>
    </message>
    <message>
        <source>Composite</source>
        <translation>综合分</translation>
    </message>
    <message>
        <source>annotator - {name} - lead</source>
        <translation>annotator - {name} - 负责人</translation>
    </message>
    <message>
        <source>project: {name}</source>
        <translation>项目：{name}</translation>
    </message>
    <message>
        <source>Computing statistics…</source>
        <translation>正在计算统计数据…</translation>
    </message>
    <message>
        <source>Updated {time} · {items} items · {ratings} raters · alpha {level}</source>
        <translation>更新于 {time} · {items} 个条目 · {ratings} 位评分人 · α {level}</translation>
    </message>
    <message>
        <source>Statistics failed: {error}</source>
        <translation>统计计算失败：{error}</translation>
    </message>
    <message>
        <source>Please wait: another operation is still running.</source>
        <translation>请稍候：另一项操作仍在进行中。</translation>
    </message>
    <message>
        <source>Cancelled; nothing was changed.</source>
        <translation>已取消，未做任何更改。</translation>
    </message>
    <message>
        <source>Computing BLEU and ROUGE for every item…</source>
        <translation>正在为所有条目计算 BLEU 和 ROUGE…</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Adjudication</source>
        <translation>裁定</translation>
    </message>
    <message>
        <source>Recorded {dim} = {score} for item {id}</source>
        <translation>已记录条目 {id} 的 {dim} = {score}</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>处理中</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Writing {name}…</source>
        <translation>正在写入 {name}…</translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation>导出完成</translation>
    </message>
    <message>
        <source>Written: {path}</source>
        <translation>已写入：{path}</translation>
    </message>
    <message>
        <source>Open file</source>
        <translation>打开文件</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Gates: when is an item or a model good enough?</source>
        <translation>门槛：条目或模型达到什么标准才算合格？</translation>
    </message>
    <message>
        <source>On</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Hard</source>
        <translation>硬性</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>New rule, e.g. &quot;metric:chrf &gt;= 0.5&quot; or &quot;human:fluency &gt;= 4&quot;</source>
        <translation>新规则，例如 &quot;metric:chrf &gt;= 0.5&quot; 或 &quot;human:fluency &gt;= 4&quot;</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>A model passes when every rule that is on holds for its means; an item when it holds for the item. Edit a rule&apos;s text to change its threshold.</source>
        <translation>模型的各项均值满足所有已启用的规则时，模型通过；条目自身满足这些规则时，条目通过。修改规则文本即可调整阈值。</translation>
    </message>
    <message>
        <source>added by the lead</source>
        <translation>负责人添加</translation>
    </message>
    <message>
        <source>{error}

Use “{fixed}” instead?</source>
        <translation>{error}

改用“{fixed}”吗？</translation>
    </message>
    <message>
        <source>Threshold on the wrong scale?</source>
        <translation>阈值尺度是否有误？</translation>
    </message>
    <message>
        <source>Not applied: {error}</source>
        <translation>未应用：{error}</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>没有任何更改。</translation>
    </message>
    <message>
        <source>Saved; recomputing the verdicts…</source>
        <translation>已保存，正在重新计算结论…</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>{n} items changed verdict{detail}. Models: {models}</source>
        <translation>{n} 个条目的结论发生变化{detail}。模型：{models}</translation>
    </message>
    <message>
        <source>Assign items to raters</source>
        <translation>为评分人分配条目</translation>
    </message>
    <message>
        <source>names, separated by commas</source>
        <translation>姓名，以逗号分隔</translation>
    </message>
    <message>
        <source>every rater</source>
        <translation>所有评分人</translation>
    </message>
    <message>
        <source>e.g. &quot;model=lora-v2&quot; or &quot;sample=zh-*&quot;</source>
        <translation>例如 &quot;model=lora-v2&quot; 或 &quot;sample=zh-*&quot;</translation>
    </message>
    <message>
        <source>share of items that every rater scores (for agreement)</source>
        <translation>所有评分人都要评分的条目比例（用于计算一致性）</translation>
    </message>
    <message>
        <source>Raters</source>
        <translation>评分人</translation>
    </message>
    <message>
        <source>Raters per item</source>
        <translation>每条评分人数</translation>
    </message>
    <message>
        <source>Only items</source>
        <translation>仅限条目</translation>
    </message>
    <message>
        <source>Shared by all</source>
        <translation>共同评分比例</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>{items} items in {groups} groups, {per} raters per item, seed {seed}</source>
        <translation>{items} 个条目分为 {groups} 组，每条 {per} 位评分人，随机种子 {seed}</translation>
    </message>
    <message>
        <source>  {rater}: {n} items</source>
        <translation>  {rater}：{n} 个条目</translation>
    </message>
    <message>
        <source>  shared by every rater: {n} items</source>
        <translation>  所有评分人共同评分：{n} 个条目</translation>
    </message>
    <message>
        <source>  kept as they were: {n} assignments outside the filter</source>
        <translation>  保持不变：筛选范围外的 {n} 项分配</translation>
    </message>
    <message>
        <source>  note: {n}</source>
        <translation>  注意：{n}</translation>
    </message>
    <message>
        <source>Assigning items…</source>
        <translation>正在分配条目…</translation>
    </message>
    <message>
        <source>Assignment</source>
        <translation>分配</translation>
    </message>
    <message>
        <source>Folder for the rater packages</source>
        <translation>选择评分包的保存文件夹</translation>
    </message>
    <message>
        <source>Rater packages</source>
        <translation>评分包</translation>
    </message>
    <message>
        <source>{rater}: {items} items → {path}</source>
        <translation>{rater}：{items} 个条目 → {path}</translation>
    </message>
    <message>
        <source>Folder for the rating sheets</source>
        <translation>选择评分表的保存文件夹</translation>
    </message>
    <message>
        <source>Rating sheets</source>
        <translation>评分表</translation>
    </message>
    <message>
        <source>{rater}: not written: {error}</source>
        <translation>{rater}：未写入：{error}</translation>
    </message>
    <message>
        <source>No rater has items to rate.</source>
        <translation>没有评分人有待评条目。</translation>
    </message>
    <message>
        <source>Merge rater packages</source>
        <translation>合并评分包</translation>
    </message>
    <message>
        <source>Merge packages</source>
        <translation>合并评分包</translation>
    </message>
    <message>
        <source>Import rating sheets</source>
        <translation>导入评分表</translation>
    </message>
    <message>
        <source>{file}: nothing merged:
  {error}</source>
        <translation>{file}：未合并任何内容：
  {error}</translation>
    </message>
    <message>
        <source>Input (optional)</source>
        <translation>输入（可选）</translation>
    </message>
    <message>
        <source>Sample id (optional)</source>
        <translation>样本 ID（可选）</translation>
    </message>
    <message>
        <source>Model column (optional)</source>
        <translation>模型列（可选）</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>CSV, TSV, Excel, JSON, JSON lines or LLaMA-Factory generated_predictions.jsonl. Nothing is imported until you confirm.</source>
        <translation>支持 CSV、TSV、Excel、JSON、JSON Lines 及 LLaMA-Factory 的 generated_predictions.jsonl。确认之前不会导入任何内容。</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Check the columns</source>
        <translation>核对列</translation>
    </message>
    <message>
        <source>e.g. qwen2.5-lora-v2</source>
        <translation>例如 qwen2.5-lora-v2</translation>
    </message>
    <message>
        <source>Model name</source>
        <translation>模型名称</translation>
    </message>
    <message>
        <source>Found in the first rows:</source>
        <translation>前几行内容：</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>(choose a column)</source>
        <translation>（请选择列）</translation>
    </message>
    <message>
        <source>{file}: format {fmt}, encoding {enc}, {cols} columns; metrics: {metrics}</source>
        <translation>{file}：格式 {fmt}，编码 {enc}，{cols} 列；指标：{metrics}</translation>
    </message>
    <message>
        <source>metric {m}</source>
        <translation>指标 {m}</translation>
    </message>
    <message>
        <source>note: {n}</source>
        <translation>注意：{n}</translation>
    </message>
    <message>
        <source>no problems</source>
        <translation>未发现问题</translation>
    </message>
    <message>
        <source>What will happen</source>
        <translation>导入预览</translation>
    </message>
    <message>
        <source>Skip repeated ids (keep the first record of each)</source>
        <translation>跳过重复 ID（每个 ID 只保留第一条记录）</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Reading the whole file…</source>
        <translation>正在读取整个文件…</translation>
    </message>
    <message>
        <source>{n:,} items will be added or updated</source>
        <translation>将新增或更新 {n:,} 个条目</translation>
    </message>
    <message>
        <source>{n} repeated ids will be skipped</source>
        <translation>将跳过 {n} 个重复 ID</translation>
    </message>
    <message>
        <source>Press Finish to import; nothing has been written yet.</source>
        <translation>点击“完成”开始导入；目前尚未写入任何内容。</translation>
    </message>
    <message>
        <source>{n} ids appear more than once. Fix the file, or skip the repeats:</source>
        <translation>有 {n} 个 ID 重复出现。请修正文件，或跳过重复项：</translation>
    </message>
    <message>
        <source>The file cannot be imported as it is ({n} problems); nothing was written:</source>
        <translation>文件存在 {n} 个问题，无法直接导入；未写入任何内容：</translation>
    </message>
    <message>
        <source>Import an evaluation file</source>
        <translation>导入评测文件</translation>
    </message>
    <message>
        <source>{fmt}, encoding {enc}, {n} columns: {cols}</source>
        <translation>{fmt}，编码 {enc}，{n} 列：{cols}</translation>
    </message>
    <message>
        <source>  {model}: {added} added, {unchanged} unchanged, {updated} updated</source>
        <translation>  {model}：新增 {added}，未变 {unchanged}，更新 {updated}</translation>
    </message>
    <message>
        <source>  already imported: nothing changed</source>
        <translation>  此前已导入：无任何变化</translation>
    </message>
    <message>
        <source>  metric column {column!r} kept as {metric}</source>
        <translation>  指标列 {column!r} 已保留为 {metric}</translation>
    </message>
    <message>
        <source>  backup written: {b}</source>
        <translation>  已写入备份：{b}</translation>
    </message>
    <message>
        <source>Import finished</source>
        <translation>导入完成</translation>
    </message>
    <message>
        <source>Importing {name}…</source>
        <translation>正在导入 {name}…</translation>
    </message>
    <message>
        <source>No statistics yet</source>
        <translation>暂无统计数据</translation>
    </message>
    <message>
        <source>Automatic metric:</source>
        <translation>自动指标：</translation>
    </message>
    <message>
        <source>{models} models, {items} items, {raters} raters · means over complete items with {conf:.0%} bootstrap intervals ({resamples} resamples)</source>
        <translation>{models} 个模型，{items} 个条目，{raters} 位评分人 · 均值基于评分完整的条目，附 {conf:.0%} bootstrap 置信区间（重抽样 {resamples} 次）</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Pass rate</source>
        <translation>通过率</translation>
    </message>
    <message>
        <source>Δ {b} − {a}</source>
        <translation>Δ {b} − {a}</translation>
    </message>
    <message>
        <source>mean of {b} − {a} over {n} prompts both models have (complete items); Wilcoxon signed-rank p = {p}</source>
        <translation>两个模型共有的 {n} 条提示（评分完整的条目）上 {b} − {a} 的均值；Wilcoxon 符号秩检验 p = {p}</translation>
    </message>
    <message>
        <source>mean over {n} complete items (of {total}), {raters} raters; {conf:.0%} bootstrap CI {low}–{high}, {resamples} resamples</source>
        <translation>{n} 个评分完整条目（共 {total} 个）的均值，{raters} 位评分人；{conf:.0%} bootstrap 置信区间 {low}–{high}，重抽样 {resamples} 次</translation>
    </message>
    <message>
        <source>composite = weighted mean of the dimensions ({w})</source>
        <translation>综合分 = 各维度加权平均（{w}）</translation>
    </message>
    <message>
        <source>imported from the file</source>
        <translation>从文件导入</translation>
    </message>
    <message>
        <source>mean over {n} items; signature: {sig}</source>
        <translation>{n} 个条目的均值；签名：{sig}</translation>
    </message>
    <message>
        <source>every gate passed</source>
        <translation>所有门槛均已通过</translation>
    </message>
    <message>
        <source>{p} passed, {f} failed, {r} need review (review items are not counted)</source>
        <translation>通过 {p}，不通过 {f}，待复核 {r}（待复核条目不计入）</translation>
    </message>
    <message>
        <source>All verdicts</source>
        <translation>全部结论</translation>
    </message>
    <message>
        <source>Filter: model, sample or reason</source>
        <translation>筛选：模型、样本或原因</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>{n} items</source>
        <translation>{n} 个条目</translation>
    </message>
    <message>
        <source>Rater</source>
        <translation>评分人</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>已分配</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>剩余</translation>
    </message>
    <message>
        <source>Mean score</source>
        <translation>平均分</translation>
    </message>
    <message>
        <source>Leniency</source>
        <translation>宽松度</translation>
    </message>
    <message>
        <source>mean difference from the other raters on the same items (+ = more lenient)</source>
        <translation>在相同条目上与其他评分人的平均分差（+ 表示更宽松）</translation>
    </message>
    <message>
        <source>Time per item</source>
        <translation>每条用时</translation>
    </message>
    <message>
        <source>Last score</source>
        <translation>最近评分</translation>
    </message>
    <message>
        <source>Last merge</source>
        <translation>最近合并</translation>
    </message>
    <message>
        <source>; no assignments (everyone rates all)</source>
        <translation>；未分配（所有人评全部条目）</translation>
    </message>
    <message>
        <source>{items} items, {dims} dimensions</source>
        <translation>{items} 个条目，{dims} 个维度</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Import an automatic-evaluation file (or drop it here)</source>
        <translation>导入自动评测文件（或拖放到此处）</translation>
    </message>
    <message>
        <source>Compute BLEU and ROUGE for every item</source>
        <translation>为所有条目计算 BLEU 和 ROUGE</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>分配</translation>
    </message>
    <message>
        <source>Hand out items to raters</source>
        <translation>向评分人分发条目</translation>
    </message>
    <message>
        <source>Packages</source>
        <translation>评分包</translation>
    </message>
    <message>
        <source>Write one rater package per rater</source>
        <translation>为每位评分人生成一个评分包</translation>
    </message>
    <message>
        <source>Sheets</source>
        <translation>评分表</translation>
    </message>
    <message>
        <source>Write one Excel rating sheet per rater</source>
        <translation>为每位评分人生成一份 Excel 评分表</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Merge rater packages back (several at once)</source>
        <translation>合并收回的评分包（可一次多选）</translation>
    </message>
    <message>
        <source>Import sheets</source>
        <translation>导入评分表</translation>
    </message>
    <message>
        <source>Import filled rating sheets</source>
        <translation>导入已填写的评分表</translation>
    </message>
    <message>
        <source>Gates</source>
        <translation>门槛</translation>
    </message>
    <message>
        <source>Edit the pass/fail rules</source>
        <translation>编辑通过/不通过规则</translation>
    </message>
    <message>
        <source>Excel report, ratings CSV or summary JSON</source>
        <translation>Excel 报告、评分 CSV 或汇总 JSON</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Recompute the statistics now</source>
        <translation>立即重新计算统计数据</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>&amp;Team</source>
        <translation>团队(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Results</source>
        <translation>结果(&amp;R)</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>总览</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>一致性</translation>
    </message>
    <message>
        <source>Disagreements</source>
        <translation>分歧</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>条目</translation>
    </message>
</context>
<context>
    <name>Flag</name>
    <message>
        <source>unclear instruction</source>
        <translation>指令不清</translation>
    </message>
    <message>
        <source>broken output</source>
        <translation>输出异常</translation>
    </message>
</context>
<context>
    <name>FlagControl</name>
    <message>
        <source>&amp;Other reason…</source>
        <translation>其他原因(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Clear flag</source>
        <translation>清除标记(&amp;C)</translation>
    </message>
    <message>
        <source>flagged: {reason}</source>
        <translation>已标记：{reason}</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>About annotator</source>
        <translation>关于 annotator</translation>
    </message>
    <message>
        <source>The language changes the next time annotator starts.</source>
        <translation>界面语言将在下次启动 annotator 时生效。</translation>
    </message>
    <message>
        <source>&lt;b&gt;annotator {version}&lt;/b&gt;&lt;br&gt;Human evaluation of fine-tuned language models: blind rating, inter-rater agreement, gated verdicts and an Excel report. Offline; one SQLite file per evaluation.</source>
        <translation>&lt;b&gt;annotator {version}&lt;/b&gt;&lt;br&gt;微调大模型的人工评测工具:盲评打分、评分一致性、门槛结论与 Excel 报告。完全离线,每个评测一个 SQLite 文件。</translation>
    </message>
</context>
<context>
    <name>ItemListModel</name>
    <message>
        <source>flagged</source>
        <translation>已标记</translation>
    </message>
    <message>
        <source>commented</source>
        <translation>有评语</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation>指令</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>unscored</source>
        <translation>未评分</translation>
    </message>
</context>
<context>
    <name>RaterController</name>
    <message>
        <source>annotator {version} - {project} - rater: {rater}</source>
        <translation>annotator {version} - {project} - 评分人：{rater}</translation>
    </message>
    <message>
        <source>unscored</source>
        <translation>未评分</translation>
    </message>
    <message>
        <source>Every score is saved the moment you give it</source>
        <translation>每次打分都会立即保存</translation>
    </message>
    <message>
        <source>Item {n} of {total} · {uid}</source>
        <translation>第 {n}/{total} 条 · {uid}</translation>
    </message>
    <message>
        <source>Cannot open item {n} yet: the file is locked by another program ({error}); retrying… Keys you type are kept until it opens.</source>
        <translation>暂时无法打开第 {n} 项：文件被其他程序锁定（{error}）；正在重试… 这期间按的键会保留，打开后依次生效。</translation>
    </message>
    <message>
        <source>Every item is scored. Thank you!</source>
        <translation>所有条目均已评分，谢谢！</translation>
    </message>
    <message>
        <source>Nothing to undo</source>
        <translation>没有可撤销的打分</translation>
    </message>
    <message>
        <source>Cannot search now: {error}</source>
        <translation>暂时无法搜索：{error}</translation>
    </message>
    <message>
        <source>No instruction or output contains &quot;{text}&quot;</source>
        <translation>没有找到包含“{text}”的指令或输出</translation>
    </message>
    <message>
        <source>this item {m}:{s:02d}</source>
        <translation>本条用时 {m}:{s:02d}</translation>
    </message>
</context>
<context>
    <name>RaterPicker</name>
    <message>
        <source>Who is rating?</source>
        <translation>谁来评分？</translation>
    </message>
    <message>
        <source>Scoring {project} as:</source>
        <translation>{project} 的评分人：</translation>
    </message>
    <message>
        <source>or a new rater&apos;s name</source>
        <translation>或输入新评分人的姓名</translation>
    </message>
</context>
<context>
    <name>RaterWindow</name>
    <message>
        <source>Comment (C; Esc returns to the scores)</source>
        <translation>评语（C；按 Esc 返回打分）</translation>
    </message>
    <message>
        <source>Flag (F)</source>
        <translation>标记（F）</translation>
    </message>
    <message>
        <source>Why flag this item? Enter saves, Esc cancels</source>
        <translation>为什么标记此条目？按 Enter 保存，Esc 取消</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>条目</translation>
    </message>
    <message>
        <source>All items</source>
        <translation>全部条目</translation>
    </message>
    <message>
        <source>Unscored</source>
        <translation>未评分</translation>
    </message>
    <message>
        <source>Flagged</source>
        <translation>已标记</translation>
    </message>
    <message>
        <source>Commented</source>
        <translation>有评语</translation>
    </message>
    <message>
        <source>Search (Ctrl+F; Enter finds next)</source>
        <translation>搜索（Ctrl+F；按 Enter 查找下一个）</translation>
    </message>
    <message>
        <source>Rubric</source>
        <translation>评分标准</translation>
    </message>
    <message>
        <source>1-5 score · Tab next dimension · ←/→ items · Ctrl+Z undo · F flag · C comment · ? shortcuts</source>
        <translation>1-5 打分 · Tab 下一维度 · ←/→ 切换条目 · Ctrl+Z 撤销 · F 标记 · C 评语 · ? 快捷键</translation>
    </message>
    <message>
        <source>&amp;Scoring</source>
        <translation>评分(&amp;S)</translation>
    </message>
    <message>
        <source>Undo last score</source>
        <translation>撤销上次打分</translation>
    </message>
    <message>
        <source>Auto-advance to the next item</source>
        <translation>自动跳到下一条</translation>
    </message>
    <message>
        <source>Next unscored item</source>
        <translation>下一个未评分条目</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>放大文字</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>缩小文字</translation>
    </message>
    <message>
        <source>Mark text shared with the reference</source>
        <translation>标出与参考答案相同的文字</translation>
    </message>
    <message>
        <source>Keyboard shortcuts (?)</source>
        <translation>键盘快捷键（?）</translation>
    </message>
</context>
<context>
    <name>SaveWatch</name>
    <message>
        <source>Saved {time}</source>
        <translation>已保存 {time}</translation>
    </message>
    <message>
        <source>Not saved: the file is locked by another program; retrying… ({count} waiting, kept in order)</source>
        <translation>未保存：文件被其他程序锁定；正在重试…（{count} 项待写入，按顺序保留）</translation>
    </message>
    <message>
        <source>Not saved: the disk is full. Free some space; retrying… ({count} waiting, kept in order)</source>
        <translation>未保存：磁盘已满。请腾出空间；正在重试…（{count} 项待写入，按顺序保留）</translation>
    </message>
    <message>
        <source>Not saved: the file cannot be written (read-only); retrying… ({count} waiting, kept in order)</source>
        <translation>未保存：文件无法写入（只读）；正在重试…（{count} 项待写入，按顺序保留）</translation>
    </message>
    <message>
        <source>Not saved ({detail}); retrying… ({count} waiting, kept in order)</source>
        <translation>未保存（{detail}）；正在重试…（{count} 项待写入，按顺序保留）</translation>
    </message>
    <message>
        <source>Scores not saved</source>
        <translation>评分未保存</translation>
    </message>
    <message>
        <source>{count} change(s) could not be written to {file} yet.

{reason}

Keep the window open and they are written as soon as the file can be written. Close anyway and they are lost.</source>
        <translation>还有 {count} 项修改未能写入 {file}。

{reason}

保持窗口打开，文件一可写入就会写入这些修改。仍然关闭则这些修改会丢失。</translation>
    </message>
</context>
<context>
    <name>ScoreGrid</name>
    <message>
        <source>Not saved yet: retrying</source>
        <translation>尚未保存：正在重试</translation>
    </message>
    <message>
        <source>{name} (not saved)</source>
        <translation>{name}（未保存）</translation>
    </message>
</context>
<context>
    <name>ShortcutOverlay</name>
    <message>
        <source>score the focused dimension, then go to the next</source>
        <translation>给当前维度打分,并跳到下一个维度</translation>
    </message>
    <message>
        <source>next / previous dimension</source>
        <translation>下一个 / 上一个维度</translation>
    </message>
    <message>
        <source>next item (when auto-advance is off)</source>
        <translation>下一条(关闭自动跳转时)</translation>
    </message>
    <message>
        <source>next / previous item</source>
        <translation>下一条 / 上一条</translation>
    </message>
    <message>
        <source>undo the last score</source>
        <translation>撤销上一次打分</translation>
    </message>
    <message>
        <source>flag the item</source>
        <translation>标记本条</translation>
    </message>
    <message>
        <source>write a comment (Esc returns to the scores)</source>
        <translation>写评语(按 Esc 回到打分)</translation>
    </message>
    <message>
        <source>search instructions and outputs</source>
        <translation>搜索指令和模型输出</translation>
    </message>
    <message>
        <source>larger / smaller text</source>
        <translation>放大 / 缩小文字</translation>
    </message>
    <message>
        <source>show or hide the item list</source>
        <translation>显示或隐藏条目列表</translation>
    </message>
    <message>
        <source>show or hide the rubric</source>
        <translation>显示或隐藏评分标准</translation>
    </message>
    <message>
        <source>show or hide this help</source>
        <translation>显示或隐藏本帮助</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Esc or ? closes this help</source>
        <translation>按 Esc 或 ? 关闭此帮助</translation>
    </message>
</context>
<context>
    <name>TextPanes</name>
    <message>
        <source>Instruction</source>
        <translation>指令</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <source>Generated</source>
        <translation>模型输出</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>annotator</source>
        <translation>annotator</translation>
    </message>
    <message>
        <source>This is a rater package: open it as its rater, not as the lead.</source>
        <translation>这是评分人的评分包:请以该评分人身份打开,而不是以负责人身份打开。</translation>
    </message>
</context>
</TS>
