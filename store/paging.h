// Keyset pagination shared by every List query.
#ifndef CPCTRACK_STORE_PAGING_H_
#define CPCTRACK_STORE_PAGING_H_

#include <string>
#include <type_traits>

#include "absl/status/statusor.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace cpctrack::store {

// Reads up to `limit` rows of `query`, which must ask for limit + 1 rows in
// key order: the extra row only tells that another page exists. `from_row`
// makes an item (T or StatusOr<T>) of the current row; `key_of` gives the
// row's key, which the next page starts after.
template <class T, class FromRow, class KeyOf>
absl::StatusOr<Page<T>> ReadPage(Statement& query, int limit, FromRow from_row, KeyOf key_of) {
  Page<T> page;
  std::string last_key;
  while (true) {
    absl::StatusOr<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_key = last_key;
      break;
    }
    last_key = key_of(query);
    auto item = from_row(query);
    if constexpr (std::is_same_v<decltype(item), T>) {
      page.items.push_back(std::move(item));
    } else {
      if (!item.ok()) return item.status();
      page.items.push_back(*std::move(item));
    }
  }
  return page;
}

}  // namespace cpctrack::store

#endif  // CPCTRACK_STORE_PAGING_H_
