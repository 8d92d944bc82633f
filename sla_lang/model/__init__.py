"""The typed model of agreements: nodes, the schema of valid fields, the workspace."""
