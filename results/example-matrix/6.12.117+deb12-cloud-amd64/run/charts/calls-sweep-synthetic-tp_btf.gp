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
plot  "calls-sweep-synthetic-tp_btf.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 91.4290 + 1.99820*x with lines lc 1 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 166.8970 + 269.84230*x with lines lc 2 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 145.7720 + 291.69280*x with lines lc 3 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 3 using 1:2 with points pt 7 lc 4 title "linked", 163.1190 + 277.52560*x with lines lc 4 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 4 using 1:2 with points pt 7 lc 5 title "tailcall", 165.9050 + 293.34040*x with lines lc 5 notitle
