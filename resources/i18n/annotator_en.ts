<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name></name>
    <message>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dimensions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adjudicated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show adjudicated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an item on the left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why (kept in the audit log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record adjudicated score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dimension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score (1-5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The lead&apos;s score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All dimensions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{shown} shown · {open} not adjudicated of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item {id} · {model} · sample {sample}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Krippendorff&apos;s alpha per dimension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pairwise weighted kappa:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exact and within-one agreement over rater pairs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all dimensions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alpha ({level})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>95% CI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Krippendorff&apos;s alpha, {level} level, over {units} items with 2+ ratings ({values} pairable values) from {raters} raters; bootstrap CI with {resamples} resamples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>see {n} items →</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>click: the disagreements behind this reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weighted kappa over {n} shared ratings; exact {e}, within one {w}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pairs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Within one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean score per dimension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score distribution (all dimensions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{metric} vs human composite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>composite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>surface match ↘</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>↖ narrow reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PASS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REVIEW</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Composite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>annotator - {name} - lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>project: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing statistics…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated {time} · {items} items · {ratings} raters · alpha {level}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statistics failed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please wait: another operation is still running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing BLEU and ROUGE for every item…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adjudication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded {dim} = {score} for item {id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing {name}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gates: when is an item or a model good enough?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New rule, e.g. &quot;metric:chrf &gt;= 0.5&quot; or &quot;human:fluency &gt;= 4&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A model passes when every rule that is on holds for its means; an item when it holds for the item. Edit a rule&apos;s text to change its threshold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>added by the lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{error}

Use “{fixed}” instead?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threshold on the wrong scale?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not applied: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved; recomputing the verdicts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} items changed verdict{detail}. Models: {models}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign items to raters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>names, separated by commas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every rater</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. &quot;model=lora-v2&quot; or &quot;sample=zh-*&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>share of items that every rater scores (for agreement)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raters per item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared by all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{items} items in {groups} groups, {per} raters per item, seed {seed}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  {rater}: {n} items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  shared by every rater: {n} items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  kept as they were: {n} assignments outside the filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  note: {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigning items…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assignment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder for the rater packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rater packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{rater}: {items} items → {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder for the rating sheets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rating sheets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{rater}: not written: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rater has items to rate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge rater packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import rating sheets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}: nothing merged:
  {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample id (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model column (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV, TSV, Excel, JSON, JSON lines or LLaMA-Factory generated_predictions.jsonl. Nothing is imported until you confirm.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. qwen2.5-lora-v2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Found in the first rows:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(choose a column)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}: format {fmt}, encoding {enc}, {cols} columns; metrics: {metrics}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>metric {m}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>note: {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What will happen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip repeated ids (keep the first record of each)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the whole file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n:,} items will be added or updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} repeated ids will be skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press Finish to import; nothing has been written yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} ids appear more than once. Fix the file, or skip the repeats:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file cannot be imported as it is ({n} problems); nothing was written:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import an evaluation file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{fmt}, encoding {enc}, {n} columns: {cols}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  {model}: {added} added, {unchanged} unchanged, {updated} updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  already imported: nothing changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  metric column {column!r} kept as {metric}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  backup written: {b}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing {name}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No statistics yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic metric:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{models} models, {items} items, {raters} raters · means over complete items with {conf:.0%} bootstrap intervals ({resamples} resamples)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pass rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Δ {b} − {a}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mean of {b} − {a} over {n} prompts both models have (complete items); Wilcoxon signed-rank p = {p}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mean over {n} complete items (of {total}), {raters} raters; {conf:.0%} bootstrap CI {low}–{high}, {resamples} resamples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>composite = weighted mean of the dimensions ({w})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>imported from the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mean over {n} items; signature: {sig}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every gate passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{p} passed, {f} failed, {r} need review (review items are not counted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All verdicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter: model, sample or reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rater</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leniency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mean difference from the other raters on the same items (+ = more lenient)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time per item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; no assignments (everyone rates all)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{items} items, {dims} dimensions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import an automatic-evaluation file (or drop it here)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute BLEU and ROUGE for every item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hand out items to raters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write one rater package per rater</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sheets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write one Excel rating sheet per rater</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge rater packages back (several at once)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import sheets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import filled rating sheets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the pass/fail rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel report, ratings CSV or summary JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recompute the statistics now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disagreements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Items</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Flag</name>
    <message>
        <source>unclear instruction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>broken output</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FlagControl</name>
    <message>
        <source>&amp;Other reason…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear flag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flagged: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About annotator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language changes the next time annotator starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;annotator {version}&lt;/b&gt;&lt;br&gt;Human evaluation of fine-tuned language models: blind rating, inter-rater agreement, gated verdicts and an Excel report. Offline; one SQLite file per evaluation.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ItemListModel</name>
    <message>
        <source>flagged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>commented</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unscored</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RaterController</name>
    <message>
        <source>annotator {version} - {project} - rater: {rater}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unscored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every score is saved the moment you give it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item {n} of {total} · {uid}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open item {n} yet: the file is locked by another program ({error}); retrying… Keys you type are kept until it opens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every item is scored. Thank you!</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot search now: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No instruction or output contains &quot;{text}&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this item {m}:{s:02d}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RaterPicker</name>
    <message>
        <source>Who is rating?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scoring {project} as:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>or a new rater&apos;s name</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RaterWindow</name>
    <message>
        <source>Comment (C; Esc returns to the scores)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flag (F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why flag this item? Enter saves, Esc cancels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unscored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flagged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commented</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search (Ctrl+F; Enter finds next)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rubric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1-5 score · Tab next dimension · ←/→ items · Ctrl+Z undo · F flag · C comment · ? shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Scoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo last score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-advance to the next item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next unscored item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark text shared with the reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts (?)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SaveWatch</name>
    <message>
        <source>Saved {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: the file is locked by another program; retrying… ({count} waiting, kept in order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: the disk is full. Free some space; retrying… ({count} waiting, kept in order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: the file cannot be written (read-only); retrying… ({count} waiting, kept in order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved ({detail}); retrying… ({count} waiting, kept in order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scores not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} change(s) could not be written to {file} yet.

{reason}

Keep the window open and they are written as soon as the file can be written. Close anyway and they are lost.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScoreGrid</name>
    <message>
        <source>Not saved yet: retrying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} (not saved)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutOverlay</name>
    <message>
        <source>score the focused dimension, then go to the next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>next / previous dimension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>next item (when auto-advance is off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>next / previous item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>undo the last score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flag the item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>write a comment (Esc returns to the scores)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>search instructions and outputs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>larger / smaller text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>show or hide the item list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>show or hide the rubric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>show or hide this help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Esc or ? closes this help</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TextPanes</name>
    <message>
        <source>Instruction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generated</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>annotator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is a rater package: open it as its rater, not as the lead.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
