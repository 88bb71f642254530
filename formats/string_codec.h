// String codecs for dense arrays (no NULLs): plain (lengths through the
// integer codecs, then the bytes) and dictionary (distinct strings in first
// appearance order plus integer-coded ids, so sorted tag columns become a
// handful of runs). Layouts in formats/segment.md ("String encodings").
// Decoders validate every length and id: corrupt input is kCorruption.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "formats/byte_reader.h"

namespace tsl {

enum class StringEncoding : uint8_t { kPlain = 0, kDictionary = 1 };

void EncodeStringsAs(StringEncoding enc, const std::string* values, size_t n, std::string* out);
Status DecodeStringsAs(StringEncoding enc, ByteReader* in, size_t n, std::vector<std::string>* out);
// A kDictionary body of n values as its dictionary and one id per value
// (each checked < dict->size()), without materializing a string per value.
Status DecodeStringDictionary(ByteReader* in, size_t n, std::vector<std::string>* dict,
                              std::vector<uint32_t>* codes);
// The two halves of a kDictionary body, shared by DecodeStringDictionary
// and the range decode (range_decode.h): the dictionary (at most n
// entries, *dict replaced), then the ids, decoded by the caller (all or a
// range) and checked here against the dictionary's size into *codes.
Status DecodeDictionaryEntries(ByteReader* in, size_t n, std::vector<std::string>* dict);
Status DictionaryCodes(const ByteReader& in, const std::vector<int64_t>& ids, size_t dict_size,
                       std::vector<uint32_t>* codes);
// Dictionary when it is smaller (it is skipped when over half the values
// are distinct), plain otherwise.
StringEncoding EncodeStringsSmallest(const std::string* values, size_t n, std::string* out);
// The same choice and the same bytes for the n values dict[codes[i]]
// (every code < dict.size()), without a string per value: the dictionary
// form of a VARCHAR column (ColumnVector::dictionary_form) as COPY builds it.
StringEncoding EncodeCodedStringsSmallest(const std::vector<std::string>& dict, const uint32_t* codes, size_t n,
                                          std::string* out);

}  // namespace tsl
