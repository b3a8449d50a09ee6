"""The demo: a deterministic demo company (company, names, products, orders) and the month it plays (run, plans, analysis, forms)."""
