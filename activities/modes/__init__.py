"""Service modes (服务方式): each mode's writes, and the shared row that lists it on the person's case."""
