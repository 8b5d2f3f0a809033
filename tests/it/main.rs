//! kensa's integration tests: one binary, one module per area, one support module.

mod snapshot;
