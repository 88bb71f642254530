// FileList: a snapshot's live files, in the order they were added. Each
// AddAction (path, size, per-column statistics) is held once, immutable,
// behind a shared pointer, so bringing a snapshot forward by one version
// copies pointers rather than every file's statistics: a commit to a table
// with 10,000 live files used to copy 10,000 AddActions (issue 23, flush
// latency growing with the table's age).
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <vector>

#include "formats/log_action.h"

namespace tsl {

class FileList {
  using Items = std::vector<std::shared_ptr<const AddAction>>;

 public:
  // Random access over the AddActions themselves (not the pointers).
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = AddAction;
    using difference_type = std::ptrdiff_t;
    using pointer = const AddAction*;
    using reference = const AddAction&;

    const_iterator() = default;
    reference operator*() const { return **it_; }
    pointer operator->() const { return it_->get(); }
    reference operator[](difference_type n) const { return *it_[n]; }
    const_iterator& operator++() { ++it_; return *this; }
    const_iterator operator++(int) { const_iterator t = *this; ++it_; return t; }
    const_iterator& operator--() { --it_; return *this; }
    const_iterator operator--(int) { const_iterator t = *this; --it_; return t; }
    const_iterator& operator+=(difference_type n) { it_ += n; return *this; }
    const_iterator& operator-=(difference_type n) { it_ -= n; return *this; }
    friend const_iterator operator+(const_iterator a, difference_type n) { return a += n; }
    friend const_iterator operator+(difference_type n, const_iterator a) { return a += n; }
    friend const_iterator operator-(const_iterator a, difference_type n) { return a -= n; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
      return a.it_ - b.it_;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.it_ == b.it_;
    }
    friend auto operator<=>(const const_iterator& a, const const_iterator& b) {
      return a.it_ <=> b.it_;
    }

   private:
    friend class FileList;
    explicit const_iterator(Items::const_iterator it) : it_(it) {}
    Items::const_iterator it_;
  };
  using iterator = const_iterator;
  using value_type = AddAction;
  using size_type = size_t;

  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  const AddAction& operator[](size_t i) const { return *items_[i]; }
  const AddAction& front() const { return *items_.front(); }
  const AddAction& back() const { return *items_.back(); }
  const_iterator begin() const { return const_iterator(items_.begin()); }
  const_iterator end() const { return const_iterator(items_.end()); }

  // Appends a file; the list shares it from now on.
  void push_back(AddAction add) { items_.push_back(std::make_shared<const AddAction>(std::move(add))); }
  // Appends a file another list already holds (no copy of its statistics).
  void push_back_shared(std::shared_ptr<const AddAction> add) { items_.push_back(std::move(add)); }
  const std::shared_ptr<const AddAction>& shared(size_t i) const { return items_[i]; }
  void reserve(size_t n) { items_.reserve(n); }
  size_t capacity() const { return items_.capacity(); }
  // Pointers to every file, in order (valid while this list lives).
  std::vector<const AddAction*> Pointers() const {
    std::vector<const AddAction*> out;
    out.reserve(items_.size());
    for (const auto& f : items_) out.push_back(f.get());
    return out;
  }
  // Keeps the files for which keep(index) is true, in order.
  template <typename Keep>
  void RetainIf(Keep keep) {
    size_t out = 0;
    for (size_t i = 0; i < items_.size(); ++i) {
      if (!keep(i)) continue;
      if (out != i) items_[out] = std::move(items_[i]);
      ++out;
    }
    items_.resize(out);
  }

 private:
  Items items_;
};

}  // namespace tsl
