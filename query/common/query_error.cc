// Error class names, as DuckDB prints them. See query_error.h.
#include "query/common/query_error.h"

namespace tsl::query {

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kParser:
      return "Parser Error";
    case ErrorKind::kBinder:
      return "Binder Error";
    case ErrorKind::kCatalog:
      return "Catalog Error";
    case ErrorKind::kConversion:
      return "Conversion Error";
    case ErrorKind::kOutOfRange:
      return "Out of Range Error";
    case ErrorKind::kInvalidInput:
      return "Invalid Input Error";
    case ErrorKind::kNotImplemented:
      return "Not implemented Error";
    case ErrorKind::kTransaction:
      return "TransactionContext Error";
    case ErrorKind::kConstraint:
      return "Constraint Error";
    case ErrorKind::kInterrupt:
      return "INTERRUPT Error";
    case ErrorKind::kOutOfMemory:
      return "Out of Memory Error";
    case ErrorKind::kInternal:
      return "INTERNAL Error";
    case ErrorKind::kStorage:
      return "IO Error";
  }
  return "Error";
}

}  // namespace tsl::query
