"""The core of 客户经理工作法: domain rules, workflow and use cases; imports no I/O library."""
