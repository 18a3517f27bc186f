// File: shared_value.h
//
// SharedValue<T>: a T with value semantics whose copies share one allocation until one of them
// is changed (copy on write). An event's child reference is one: 320 bytes of strings that every
// event an agency sends about a child repeats, and that the chronology keeps once per child and
// agency instead of once per event (ChronologyStore shares equal references as it files them).
#ifndef HOMEWARD_COMMON_DOMAIN_SHARED_VALUE_H_
#define HOMEWARD_COMMON_DOMAIN_SHARED_VALUE_H_

#include <memory>
#include <utility>

namespace homeward {

template <typename T>
class SharedValue {
 public:
  // An empty T, allocated on first change.
  SharedValue() = default;
  SharedValue(T value) : value_(std::make_shared<T>(std::move(value))) {}  // NOLINT(google-explicit-constructor)

  // Reads see the value; an empty SharedValue reads as T{}.
  const T& operator*() const { return value_ != nullptr ? *value_ : Empty(); }
  const T* operator->() const { return &**this; }
  operator const T&() const { return **this; }  // NOLINT(google-explicit-constructor)

  // The value to change, copied first if another SharedValue shares it. Not for two threads
  // at once on the same SharedValue (as for any value), but copies may be read meanwhile.
  T& Mutable() {
    if (value_ == nullptr) {
      value_ = std::make_shared<T>();
    } else if (value_.use_count() > 1) {
      value_ = std::make_shared<T>(*value_);
    }
    return *value_;
  }

  // Whether the two share one allocation (then they are equal without comparing).
  bool SharesWith(const SharedValue& other) const { return value_ == other.value_; }
  // Makes this share `other`'s allocation. REQUIRES: *this == other.
  void ShareWith(const SharedValue& other) { value_ = other.value_; }

  friend bool operator==(const SharedValue& a, const SharedValue& b) { return a.SharesWith(b) || *a == *b; }

 private:
  static const T& Empty() {
    static const T* const empty = new T();
    return *empty;
  }

  std::shared_ptr<T> value_;
};

}  // namespace homeward

#endif  // HOMEWARD_COMMON_DOMAIN_SHARED_VALUE_H_
