# Đề án: models land with the đề án issue.
