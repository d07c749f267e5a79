"""newsdex search: query parsing, the engine, results, output, the CLI and the shell."""
