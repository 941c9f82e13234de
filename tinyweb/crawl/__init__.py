"""`tinyweb crawl`: a polite, resumable crawler that captures styled pages."""
