#pragma once
// The API a program uses: the exchange facade and its book views, its configuration and errors,
// exact numbers, the typed REST clients and their rate limiter, the sans-io order book, public
// topics and raw frame subscriptions, the decoded push views of raw or recorded frames, account
// events and the request signer. Internals (JSON and protobuf readers, query encoding,
// transports) are not part of it; tools/check_includes.sh checks that every other public header
// is.

#include "mexc/account.hpp"
#include "mexc/account_events.hpp"
#include "mexc/book/book_options.hpp"
#include "mexc/book/book_view.hpp"
#include "mexc/book/order_book.hpp"
#include "mexc/book/snapshot_parser.hpp"
#include "mexc/config.hpp"
#include "mexc/credentials.hpp"
#include "mexc/decimal.hpp"
#include "mexc/error.hpp"
#include "mexc/exchange.hpp"
#include "mexc/frame_subscription.hpp"
#include "mexc/market.hpp"
#include "mexc/market_events.hpp"
#include "mexc/market_stream.hpp"
#include "mexc/order.hpp"
#include "mexc/rest/private_rest.hpp"
#include "mexc/rest/public_rest.hpp"
#include "mexc/rest/rate_limiter.hpp"
#include "mexc/rest/rate_limits.hpp"
#include "mexc/sign/hmac_signer.hpp"
#include "mexc/symbol_rules.hpp"
#include "mexc/topic.hpp"
#include "mexc/types.hpp"
#include "mexc/wire/events.hpp"
#include "mexc/wire/push.hpp"
