# Regenerate: cd charts && gnuplot calls-sweep-synthetic-tp_btf.gp
if (!exists("outfile")) outfile = "calls-sweep-synthetic-tp_btf.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set title "ns per trigger over K at synthetic/tp_btf: means over rounds (points), fitted lines (slope = ns per call)"
set xlabel "K (handler calls per trigger)"
set ylabel "ns per trigger"
set key left top
plot  "calls-sweep-synthetic-tp_btf.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 30.3570 + 0.36880*x with lines lc 1 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 30.3110 + 87.51580*x with lines lc 2 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 30.3430 + 94.44860*x with lines lc 3 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 3 using 1:2 with points pt 7 lc 4 title "global", 30.3440 + 94.36870*x with lines lc 4 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 4 using 1:2 with points pt 7 lc 5 title "linked", 30.9370 + 94.38010*x with lines lc 5 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 5 using 1:2 with points pt 7 lc 6 title "tailcall", 30.1130 + 90.23170*x with lines lc 6 notitle
