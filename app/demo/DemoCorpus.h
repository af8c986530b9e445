// app/demo/DemoCorpus.h — placeholder, being written (demo data generator).
#pragma once
