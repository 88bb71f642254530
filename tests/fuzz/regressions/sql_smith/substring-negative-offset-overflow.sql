-- sql_smith finding (clang ASan + UBSan run): UBSan "signed integer overflow:
-- -9223372036854775807 + -9223372036854775804" at query/functions/string_functions.cc:94
-- (Substring: length += start for a negative offset). Owner: values (value ranges/UTF-8
-- string functions) or whoever owns string_functions.cc.
SELECT substring('abc', -9223372036854775807, -9223372036854775804)
