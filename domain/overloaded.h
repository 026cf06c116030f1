// Overloaded{lambdas...}: one visitor for std::visit over the record variant.
// In domain/, the lowest layer, so the store and the server share it.
#ifndef CPCTRACK_DOMAIN_OVERLOADED_H_
#define CPCTRACK_DOMAIN_OVERLOADED_H_

namespace cpctrack::domain {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
// GCC deduces this for aggregates itself (C++20); clang 14 (the fuzz build) needs it.
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_OVERLOADED_H_
