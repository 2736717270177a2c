//! The Huawei Cloud Organizations REST adapter.

pub mod sign;
