"""The grader's own tests (make test runs them with the labs): unit tests and fake kernels."""
