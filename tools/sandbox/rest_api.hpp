#pragma once
// The sandbox's REST API: routes MEXC spot v3 paths to handlers and answers with MEXC's shapes,
// statuses and error bodies (SPEC §3, §5).

#include "market.hpp"
#include "text.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mexc::sandbox {

struct SandboxStats;

struct RestRequest {
    std::string_view method;  // GET, POST, PUT, DELETE
    std::string_view target;  // path and query
    std::string_view body;
    std::string_view api_key;  // X-MEXC-APIKEY, empty when absent
};

struct RestReply {
    int status = 200;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

class RestApi {
public:
    RestApi(Market& market, SandboxStats& stats);

    RestReply handle(const RestRequest& request);

    /// Fault: the next depth snapshot of `symbol` is `versions_back` versions old.
    void serve_stale_snapshot(const std::string& symbol, std::int64_t versions_back);

private:
    RestReply exchange_info(const Params& query);
    RestReply depth(const Params& query);

    Market& market_;
    SandboxStats& stats_;
    std::unordered_map<std::string, std::int64_t> stale_snapshots_;
};

}  // namespace mexc::sandbox
