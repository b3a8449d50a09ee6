"""Excel worksheet functions (xlwings UDFs): convert arguments, call engine, return values; read-only."""
