"""§9 客户需求调查统计表 as a read-only report workbook (engine.survey_stats pages, written by workbooks.report)."""
MODULE = "survey_stats"
TITLE = "客户需求调查统计表"
TEMPLATE_VERSION = 1
