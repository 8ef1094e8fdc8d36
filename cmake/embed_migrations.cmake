# Writes OUT: a C++ source defining huoyan::store::embedded_migrations(),
# one entry per migration file in DIR, in file-name order.
file(GLOB FILES ${DIR}/*.sql)
list(SORT FILES)
set(body "#include \"store/migrations.h\"\nnamespace huoyan::store {\nconst std::vector<MigrationFile>& embedded_migrations() {\n  static const std::vector<MigrationFile> files = {\n")
foreach(f ${FILES})
  get_filename_component(name ${f} NAME_WE)
  file(READ ${f} sql)
  string(APPEND body "    {\"${name}\", R\"__sql__(${sql})__sql__\"},\n")
endforeach()
string(APPEND body "  };\n  return files;\n}\n}  // namespace huoyan::store\n")
file(WRITE ${OUT} "${body}")
