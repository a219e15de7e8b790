//! What the station configures outside its database: where files live
//! (`paths`) and the themes, built in and the user's own (`theme`).
//! Below the app, which applies them, and the screens, which draw with
//! them.

pub mod paths;
pub mod theme;
