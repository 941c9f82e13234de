"""Training data: prompt formats, the prompts stage (labels, filters, splits) and act tasks."""
