#pragma once
// The API a program uses: the exchange facade, its configuration and errors, exact numbers, the
// typed REST clients, the sans-io order book and the decoded push views of recorded frames.
// Internals (JSON and protobuf readers, query encoding, transports) are not part of it.

#include "mexc/account.hpp"
#include "mexc/book/order_book.hpp"
#include "mexc/book/snapshot_parser.hpp"
#include "mexc/config.hpp"
#include "mexc/credentials.hpp"
#include "mexc/decimal.hpp"
#include "mexc/error.hpp"
#include "mexc/exchange.hpp"
#include "mexc/market.hpp"
#include "mexc/market_events.hpp"
#include "mexc/order.hpp"
#include "mexc/rest/private_rest.hpp"
#include "mexc/rest/public_rest.hpp"
#include "mexc/symbol_rules.hpp"
#include "mexc/types.hpp"
#include "mexc/wire/push.hpp"
