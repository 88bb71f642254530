-- sql_smith finding: repeat() builds a 400 MB value under SET memory_limit = '64MB'
-- (RSS 530 MB; no Out of Memory Error): a memory_limit hole for huge values.
-- Owner: memory (huge values).
SET memory_limit = '64MB'
SELECT length(repeat('ab', 200000000))
