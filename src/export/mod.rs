//! Handing work to other tools: the hashes kensa could not verify, in the files an external
//! cracker reads, with a job sheet saying how to run it and how to bring the results back.

pub mod hashcat;
