-- The reference Hub keeps its own state in this database.
CREATE DATABASE santokit_hub;
