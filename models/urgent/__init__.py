"""The urgent path (突发情况 / 先行救助): short-term care started before the review."""
