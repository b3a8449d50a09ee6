"""The handlers behind both the command line and the ribbon: one module per function, one user action each."""
from addin.handlers.stores import export_stores, find_store, print_store_sheet, store_detail_lines
from addin.handlers.submission import archive_submission, submit_workbook

__all__ = ["export_stores", "find_store", "print_store_sheet", "store_detail_lines", "archive_submission",
           "submit_workbook"]
