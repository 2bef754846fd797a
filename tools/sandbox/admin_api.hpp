#pragma once
// The sandbox's admin interface (docs/sandbox.md "Fault injection and admin interface"): HTTP
// endpoints under /sandbox/admin/ on the sandbox's own port that drive the fault knobs of a running
// `mexc-sandbox` process. Served only when SandboxOptions::admin_interface is set, and only to
// loopback peers (the server checks the peer address before calling this).

#include "rest_api.hpp"

namespace mexc::sandbox {

class Sandbox;

/// True for targets under /sandbox/admin.
bool is_admin_target(std::string_view target) noexcept;

/// One admin request: parameters from the query and a form body; JSON answers.
RestReply handle_admin(Sandbox& sandbox, const RestRequest& request);

}  // namespace mexc::sandbox
