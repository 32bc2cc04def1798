# Embeds server/migrations/*.sql into a C++ source so bidopend is self-contained.
# Inputs: MIGRATIONS_DIR, OUTPUT.
file(GLOB sql_files "${MIGRATIONS_DIR}/*.sql")
list(SORT sql_files)
set(body "")
foreach(f ${sql_files})
  get_filename_component(name ${f} NAME)
  file(READ ${f} sql)
  string(APPEND body "    {\"${name}\", R\"bidopen_sql(${sql})bidopen_sql\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp
"// Generated from server/migrations by embed.cmake. Do not edit.\n"
"#include \"server/store/migrations.h\"\n\n"
"namespace bidopen::store {\n\n"
"const std::vector<Migration>& EmbeddedMigrations() {\n"
"  static const std::vector<Migration> kAll = {\n${body}  };\n"
"  return kAll;\n}\n\n}  // namespace bidopen::store\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
