// Charts rendered to PNG through libpng.
