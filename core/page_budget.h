// How many items fit in one list response: every list and event response is
// bounded in bytes (issue 10 item 3), and the first item always fits, so a
// page never comes back empty while items remain.
#ifndef BIDOPEN_CORE_PAGE_BUDGET_H_
#define BIDOPEN_CORE_PAGE_BUDGET_H_

#include <cstddef>

namespace bidopen {

class PageBudget {
 public:
  explicit PageBudget(size_t bytes) : left_(bytes) {}

  // True if an item of `bytes` goes into the page (and counts it); false once
  // the page is full, after which every call is false.
  bool Take(size_t bytes) {
    if (full_ || (taken_ > 0 && bytes > left_)) return full_ = true, false;
    left_ = bytes > left_ ? 0 : left_ - bytes;
    ++taken_;
    return true;
  }
  bool full() const { return full_; }
  size_t taken() const { return taken_; }

 private:
  size_t left_;
  size_t taken_ = 0;
  bool full_ = false;
};

}  // namespace bidopen

#endif  // BIDOPEN_CORE_PAGE_BUDGET_H_
