"""Sheet names and headers in the project's language (zh_CN or en).

Verdicts and readings of alpha are not here: they come from ``core.wording`` (the one
catalog), so the report and the app call the same reading by the same words.
"""

from __future__ import annotations

from annotator.core.domain.wording import reading_name, verdict_name

_LABELS = {
    "summary": ("Summary", "总览"),
    "items": ("Items", "条目"),
    "ratings": ("Ratings", "评分明细"),
    "agreement": ("Agreement", "一致性"),
    "disagreements": ("Disagreements", "分歧"),
    "charts": ("Charts", "图表"),
    "report_title": ("Human evaluation report", "人工评测报告"),
    "project": ("Project", "项目"),
    "generated_at": ("Generated", "生成时间"),
    "file": ("Project file", "项目文件"),
    "items_n": ("Items", "条目数"),
    "raters": ("Raters", "评分人"),
    "gates": ("Gates (pass rules)", "门槛规则"),
    "rule": ("Rule", "规则"),
    "on": ("On", "启用"),
    "hard": ("Hard", "硬性"),
    "source": ("Source", "来源"),
    "models": ("Models", "模型"),
    "model": ("Model", "模型"),
    "n_items": ("Items", "条目"),
    "complete": ("Complete", "已完成"),
    "composite": ("Composite", "综合分"),
    "ci": ("95% CI", "95%置信区间"),
    "verdict": ("Verdict", "结论"),
    "pass_rate": ("Item pass rate", "条目通过率"),
    "reasons": ("Reasons", "原因"),
    "comparison": ("Before / after (paired by sample)", "微调前后对比(按样本配对)"),
    "measure": ("Measure", "指标"),
    "pairs": ("Pairs", "配对数"),
    "difference": ("Difference", "差值"),
    "p_value": ("p (Wilcoxon)", "p 值(Wilcoxon)"),
    "agreement_title": (
        "Inter-rater agreement (Krippendorff's alpha)",
        "评分一致性(Krippendorff α)",
    ),
    "dimension": ("Dimension", "维度"),
    "all_dimensions": ("all", "全部维度"),
    "alpha": ("Alpha", "α"),
    "reading": ("Reading", "解读"),
    "units": ("Units", "单元数"),
    "exact": ("Exact agreement", "完全一致率"),
    "within_one": ("Within one point", "相差≤1分比例"),
    "kappa_title": ("Pairwise Cohen's kappa (quadratic weights)", "两两加权 Kappa(二次权重)"),
    "rater_a": ("Rater A", "评分人 A"),
    "rater_b": ("Rater B", "评分人 B"),
    "kappa": ("Kappa", "Kappa"),
    "n": ("n", "样本数"),
    "signatures": ("How the automatic numbers were made", "自动指标的计算方式"),
    "metric": ("Metric", "指标"),
    "signature": ("Signature", "签名"),
    "diagnostics": ("Diagnostics", "诊断"),
    "correlation": ("Spearman rho with composite", "与综合分的 Spearman 相关"),
    "id": ("Item", "条目"),
    "sample_id": ("Sample", "样本"),
    "instruction": ("Instruction", "指令"),
    "reference": ("Reference", "参考答案"),
    "generated": ("Generated", "模型输出"),
    "mean": ("mean", "均值"),
    "comments": ("Comments", "评语"),
    "rater": ("Rater", "评分人"),
    "score": ("Score", "分数"),
    "time": ("Time", "时间"),
    "origin": ("Origin", "来源"),
    "max_range": ("Max difference", "最大分差"),
    "dimensions": ("Dimensions", "维度"),
    "resolved": ("Adjudicated", "已裁定"),
    "kind": ("Kind", "类型"),
    "value": ("Value", "数值"),
    "chart_means": ("Dimension means per model", "各模型维度均分"),
    "chart_composite": ("Composite score distribution", "综合分分布"),
    "count": ("Items", "条目数"),
    "examples": ("Examples", "示例"),
    "surface": (
        "Surface match: automatic high, human low (looks like the reference, reads badly)",
        "形似神不似:自动指标高、人工评分低",
    ),
    "narrow": (
        "Narrow reference: human high, automatic low (good answer, reference too narrow)",
        "参考答案过窄:人工评分高、自动指标低",
    ),
    "adjudicated": ("Adjudicated scores (lead)", "裁定分数(负责人)"),
    "note": ("Note", "备注"),
}


class Labels:
    def __init__(self, language: str):
        self.language = "zh_CN" if str(language).startswith("zh") else "en"
        self.zh = self.language == "zh_CN"
        self.colon = "：" if self.zh else ": "

    def __call__(self, key: str) -> str:
        pair = _LABELS.get(key)
        if pair is None:
            return key
        return pair[1] if self.zh else pair[0]

    def verdict(self, value: str) -> str:
        return verdict_name(str(value), self.language)

    def mismatch(self, kind: str) -> str:
        return self("surface" if kind.startswith("surface") else "narrow")

    def reading(self, value: str) -> str:
        return reading_name(value, self.language)
